namespace Wasmc;

/// <summary>The streams a command writes to; tests pass their own.</summary>
/// <param name="Out">Standard output: results only.</param>
/// <param name="Error">Standard error: problems and progress.</param>
/// <param name="In">Standard input (for --password-stdin).</param>
/// <param name="IsInteractive">Whether stdout is a terminal (progress bars are shown only then).</param>
internal sealed record CliConsole(TextWriter Out, TextWriter Error, TextReader In, bool IsInteractive);
