namespace WasmMesh.Oci;

/// <summary>Which references a <see cref="MirrorRule"/> applies to, as in OpenShift's ImageDigestMirrorSet and ImageTagMirrorSet.</summary>
public enum MirrorRuleKind
{
    /// <summary>Digest references only (ImageDigestMirrorSet).</summary>
    Digest,

    /// <summary>Tag references only (ImageTagMirrorSet): the mirrors are trusted to resolve tags.</summary>
    Tag,
}

/// <summary>Whether the source may be contacted when every mirror failed.</summary>
public enum MirrorSourcePolicy
{
    /// <summary>Try the source after the mirrors (the default).</summary>
    AllowContactingSource,

    /// <summary>Never contact the source; fail when the mirrors do.</summary>
    NeverContactSource,
}

/// <summary>
/// One mirror rule: references under <see cref="Source"/> (<c>host[:port][/path]</c>, or <c>*.host</c> for every
/// subdomain) are fetched from <see cref="Mirrors"/> in order, the matched prefix replaced by the mirror.
/// </summary>
public sealed record MirrorRule
{
    /// <summary>The source: <c>host[:port][/path]</c> or <c>*.domain</c>.</summary>
    public required string Source { get; init; }

    /// <summary>The mirrors (<c>host[:port][/path]</c>), tried in order.</summary>
    public IReadOnlyList<string> Mirrors { get; init; } = [];

    /// <summary>Digest or tag references.</summary>
    public MirrorRuleKind Kind { get; init; } = MirrorRuleKind.Digest;

    /// <summary>Whether the source may be contacted after the mirrors.</summary>
    public MirrorSourcePolicy SourcePolicy { get; init; } = MirrorSourcePolicy.AllowContactingSource;
}

/// <summary>A mirror host read from a containerd <c>hosts.toml</c>, with what it may be asked.</summary>
/// <param name="Host">The host and port.</param>
/// <param name="PlainHttp">Whether the URL was <c>http://</c>.</param>
/// <param name="CanPull">Whether it may serve content by digest (<c>pull</c>).</param>
/// <param name="CanResolve">Whether it may resolve tags (<c>resolve</c>).</param>
/// <param name="SkipVerify">Whether TLS verification is off for it (<c>skip_verify</c>).</param>
public sealed record MirrorHost(string Host, bool PlainHttp, bool CanPull, bool CanResolve, bool SkipVerify);

/// <summary>One place to try for a reference, in order.</summary>
/// <param name="Reference">The reference rewritten for this place.</param>
/// <param name="CanResolve">Whether tags may be resolved here.</param>
/// <param name="CanPull">Whether content may be fetched here by digest.</param>
/// <param name="IsMirror">Whether this is a mirror rather than the source.</param>
public sealed record MirrorCandidate(ImageReference Reference, bool CanResolve, bool CanPull, bool IsMirror);
