namespace WasmMesh.Testing.Server;

/// <summary>A parsed label selector: <c>a=b</c>, <c>a==b</c>, <c>a!=b</c>, <c>a in (x,y)</c>, <c>a notin (x)</c>, <c>a</c>, <c>!a</c>.</summary>
internal sealed class LabelSelector
{
    private enum Op
    {
        Equals,
        NotEquals,
        In,
        NotIn,
        Exists,
        DoesNotExist,
    }

    private sealed record Requirement(string Key, Op Op, HashSet<string> Values);

    private readonly List<Requirement> _requirements;

    private LabelSelector(List<Requirement> requirements) => _requirements = requirements;

    public static LabelSelector? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var requirements = new List<Requirement>();
        foreach (var part in SplitTopLevel(text))
        {
            var p = part.Trim();
            if (p.Length == 0)
            {
                continue;
            }

            requirements.Add(ParseRequirement(p));
        }

        return new LabelSelector(requirements);
    }

    public bool Matches(IReadOnlyDictionary<string, string>? labels)
    {
        foreach (var r in _requirements)
        {
            string? value = null;
            var has = labels is not null && labels.TryGetValue(r.Key, out value);
            var ok = r.Op switch
            {
                Op.Equals => has && r.Values.Contains(value!),
                Op.NotEquals => !has || !r.Values.Contains(value!),
                Op.In => has && r.Values.Contains(value!),
                Op.NotIn => !has || !r.Values.Contains(value!),
                Op.Exists => has,
                Op.DoesNotExist => !has,
                _ => false,
            };
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    private static Requirement ParseRequirement(string p)
    {
        if (p.StartsWith('!'))
        {
            return new Requirement(p[1..].Trim(), Op.DoesNotExist, []);
        }

        var notIn = p.IndexOf(" notin ", StringComparison.Ordinal);
        if (notIn > 0)
        {
            return new Requirement(p[..notIn].Trim(), Op.NotIn, SetOf(p[(notIn + 7)..]));
        }

        var inIdx = p.IndexOf(" in ", StringComparison.Ordinal);
        if (inIdx > 0)
        {
            return new Requirement(p[..inIdx].Trim(), Op.In, SetOf(p[(inIdx + 4)..]));
        }

        var ne = p.IndexOf("!=", StringComparison.Ordinal);
        if (ne > 0)
        {
            return new Requirement(p[..ne].Trim(), Op.NotEquals, [p[(ne + 2)..].Trim()]);
        }

        var eq2 = p.IndexOf("==", StringComparison.Ordinal);
        if (eq2 > 0)
        {
            return new Requirement(p[..eq2].Trim(), Op.Equals, [p[(eq2 + 2)..].Trim()]);
        }

        var eq = p.IndexOf('=', StringComparison.Ordinal);
        if (eq > 0)
        {
            return new Requirement(p[..eq].Trim(), Op.Equals, [p[(eq + 1)..].Trim()]);
        }

        if (p.Any(c => c is ' ' or '(' or ')' or '<' or '>'))
        {
            throw ApiError.BadRequest($"unable to parse requirement: invalid label selector '{p}'");
        }

        return new Requirement(p, Op.Exists, []);
    }

    private static HashSet<string> SetOf(string text)
    {
        var t = text.Trim();
        if (!t.StartsWith('(') || !t.EndsWith(')'))
        {
            throw ApiError.BadRequest($"unable to parse requirement: expected '(' ... ')' in '{text}'");
        }

        return t[1..^1].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
    }

    private static IEnumerable<string> SplitTopLevel(string text)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            switch (text[i])
            {
                case '(':
                    depth++;
                    break;
                case ')':
                    depth--;
                    break;
                case ',' when depth == 0:
                    yield return text[start..i];
                    start = i + 1;
                    break;
            }
        }

        yield return text[start..];
    }
}
