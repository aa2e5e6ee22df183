namespace WasmMesh.Sources;

/// <summary>Why a registry refused a pull, as far as the credentials are concerned.</summary>
public enum RegistryCredentialsProblem
{
    /// <summary>Not a credentials problem.</summary>
    None,

    /// <summary>The registry requires authentication and the request had no pull secret.</summary>
    NoPullSecret,

    /// <summary>The registry requires authentication and the pull secret has no entry for its host.</summary>
    NoEntryForRegistry,

    /// <summary>The registry refused the credentials the pull secret holds for its host.</summary>
    Refused,
}
