namespace Wasmc;

/// <summary>wasmc's exit codes.</summary>
internal static class ExitCodes
{
    /// <summary>The command did what was asked.</summary>
    public const int Success = 0;

    /// <summary>The operation failed (auth, not found, network, digest mismatch); the cause is on stderr.</summary>
    public const int Failure = 1;

    /// <summary>The arguments or the input were invalid; every problem is on stderr and nothing on stdout.</summary>
    public const int Usage = 2;
}
