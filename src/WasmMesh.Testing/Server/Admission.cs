namespace WasmMesh.Testing.Server;

/// <summary>How a write treats fields its schema does not know (the <c>fieldValidation</c> query parameter).</summary>
internal enum FieldValidation
{
    /// <summary>Drop unknown fields silently.</summary>
    Ignore,

    /// <summary>Drop unknown fields and answer with a <c>Warning</c> header for each (the API server's default).</summary>
    Warn,

    /// <summary>Refuse the request with 400 when it has unknown fields.</summary>
    Strict,
}

/// <summary>One write request's field validation mode and the warnings it collects for the response.</summary>
internal sealed class Admission
{
    public Admission(FieldValidation mode)
    {
        Mode = mode;
    }

    public FieldValidation Mode { get; }

    public List<string> Warnings { get; } = [];

    /// <summary>Reads the <c>fieldValidation</c> query value; empty means the default (Warn).</summary>
    public static Admission Parse(string? value) => value switch
    {
        null or "" or "Warn" => new Admission(FieldValidation.Warn),
        "Ignore" => new Admission(FieldValidation.Ignore),
        "Strict" => new Admission(FieldValidation.Strict),
        _ => throw ApiError.BadRequest($"fieldValidation must be one of Ignore, Warn or Strict (got \"{value}\")"),
    };
}
