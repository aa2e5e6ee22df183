namespace WasmMesh.Istio.Rendering;

/// <summary>
/// Orders mapping keys the way <c>kubectl -o yaml</c> prints them: letters compare by code point, any
/// non-letter sorts before a letter, and runs of digits compare by numeric value (<c>port9</c> before <c>port10</c>).
/// </summary>
internal sealed class KubectlKeyComparer : IComparer<string>
{
    /// <summary>The shared instance.</summary>
    public static readonly KubectlKeyComparer Instance = new();

    /// <inheritdoc />
    public int Compare(string? x, string? y)
    {
        if (ReferenceEquals(x, y))
        {
            return 0;
        }

        if (x is null)
        {
            return -1;
        }

        if (y is null)
        {
            return 1;
        }

        return Less(x, y) ? -1 : Less(y, x) ? 1 : 0;
    }

    private static bool Less(string a, string b)
    {
        for (var i = 0; i < a.Length && i < b.Length; i++)
        {
            var ca = a[i];
            var cb = b[i];
            if (ca == cb)
            {
                continue;
            }

            var al = char.IsLetter(ca);
            var bl = char.IsLetter(cb);
            if (al && bl)
            {
                return ca < cb;
            }

            if (al || bl)
            {
                return bl;
            }

            long an = 0;
            long bn = 0;
            if (ca == '0' || cb == '0')
            {
                for (var j = i - 1; j >= 0 && char.IsAsciiDigit(a[j]); j--)
                {
                    if (a[j] != '0')
                    {
                        an = 1;
                        bn = 1;
                        break;
                    }
                }
            }

            var ai = i;
            for (; ai < a.Length && char.IsAsciiDigit(a[ai]); ai++)
            {
                an = unchecked((an * 10) + (a[ai] - '0'));
            }

            var bi = i;
            for (; bi < b.Length && char.IsAsciiDigit(b[bi]); bi++)
            {
                bn = unchecked((bn * 10) + (b[bi] - '0'));
            }

            if (an != bn)
            {
                return an < bn;
            }

            if (ai != bi)
            {
                return ai < bi;
            }

            return ca < cb;
        }

        return a.Length < b.Length;
    }
}
