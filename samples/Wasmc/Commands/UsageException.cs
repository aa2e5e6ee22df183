namespace Wasmc.Commands;

/// <summary>An argument or input is invalid (exit code 2).</summary>
internal sealed class UsageException(string message) : Exception(message);
