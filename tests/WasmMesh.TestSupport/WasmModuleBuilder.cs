using System.Text;

namespace WasmMesh.TestSupport;

/// <summary>
/// Builds small, valid WebAssembly modules for tests: a type section, one function per export, an export
/// section and an optional custom section used to reach a target size.
/// </summary>
public static class WasmModuleBuilder
{
    /// <summary>Builds a module exporting the given functions (default: a proxy-wasm ABI 0.2.0 marker).</summary>
    /// <param name="exports">Function names to export.</param>
    /// <param name="padding">Bytes of custom-section payload to add (for size and streaming tests).</param>
    /// <param name="seed">Varies the custom section so that modules differ.</param>
    /// <param name="imports">Functions (of type () -> ()) to import as (module, name).</param>
    public static byte[] Build(IReadOnlyList<string>? exports = null, int padding = 0, int seed = 0, IReadOnlyList<(string Module, string Name)>? imports = null)
    {
        imports ??= [];
        exports ??= ["proxy_abi_version_0_2_0", "proxy_on_context_create", "malloc"];
        using var ms = new MemoryStream();
        ms.Write([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);

        // type section: one type () -> ()
        WriteSection(ms, 1, [0x01, 0x60, 0x00, 0x00]);

        if (imports.Count > 0)
        {
            var imp = new MemoryStream();
            WriteVarUInt(imp, (uint)imports.Count);
            foreach (var (module, field) in imports)
            {
                foreach (var text in new[] { module, field })
                {
                    var bytes = Encoding.UTF8.GetBytes(text);
                    WriteVarUInt(imp, (uint)bytes.Length);
                    imp.Write(bytes);
                }

                imp.WriteByte(0x00); // func
                WriteVarUInt(imp, 0); // type 0
            }

            WriteSection(ms, 2, imp.ToArray());
        }

        // function section: N functions of type 0
        var funcs = new MemoryStream();
        WriteVarUInt(funcs, (uint)exports.Count);
        foreach (var _ in exports)
        {
            funcs.WriteByte(0x00);
        }

        WriteSection(ms, 3, funcs.ToArray());

        // export section
        var exp = new MemoryStream();
        WriteVarUInt(exp, (uint)exports.Count);
        for (var i = 0; i < exports.Count; i++)
        {
            var name = Encoding.UTF8.GetBytes(exports[i]);
            WriteVarUInt(exp, (uint)name.Length);
            exp.Write(name);
            exp.WriteByte(0x00); // func
            WriteVarUInt(exp, (uint)(imports.Count + i));
        }

        WriteSection(ms, 7, exp.ToArray());

        // code section: empty bodies
        var code = new MemoryStream();
        WriteVarUInt(code, (uint)exports.Count);
        foreach (var _ in exports)
        {
            code.Write([0x02, 0x00, 0x0b]);
        }

        WriteSection(ms, 10, code.ToArray());

        if (padding > 0 || seed != 0)
        {
            var custom = new MemoryStream();
            var name = Encoding.UTF8.GetBytes("wasmmesh.padding");
            WriteVarUInt(custom, (uint)name.Length);
            custom.Write(name);
            var payload = new byte[Math.Max(padding, 4)];
            new Random(seed).NextBytes(payload);
            custom.Write(payload);
            WriteSection(ms, 0, custom.ToArray());
        }

        return ms.ToArray();
    }

    /// <summary>Writes a module of about <paramref name="size"/> bytes to a file without holding it in memory twice.</summary>
    public static void WriteLargeModule(string path, long size, int seed = 1)
    {
        var head = Build();
        using var file = File.Create(path);
        file.Write(head);
        var name = Encoding.UTF8.GetBytes("wasmmesh.padding");
        var payloadLength = size - head.Length - 1 - 5 - 1 - name.Length;
        if (payloadLength < 0)
        {
            payloadLength = 0;
        }

        file.WriteByte(0x00);
        var sectionSize = (uint)(1 + name.Length + payloadLength);
        WriteVarUInt5(file, sectionSize);
        file.WriteByte((byte)name.Length);
        file.Write(name);
        var random = new Random(seed);
        var buffer = new byte[1 << 16];
        var left = payloadLength;
        while (left > 0)
        {
            random.NextBytes(buffer);
            var n = (int)Math.Min(left, buffer.Length);
            file.Write(buffer, 0, n);
            left -= n;
        }
    }

    private static void WriteSection(Stream s, byte id, byte[] content)
    {
        s.WriteByte(id);
        WriteVarUInt(s, (uint)content.Length);
        s.Write(content);
    }

    private static void WriteVarUInt(Stream s, uint value)
    {
        do
        {
            var b = (byte)(value & 0x7f);
            value >>= 7;
            if (value != 0)
            {
                b |= 0x80;
            }

            s.WriteByte(b);
        }
        while (value != 0);
    }

    private static void WriteVarUInt5(Stream s, uint value)
    {
        for (var i = 0; i < 5; i++)
        {
            var b = (byte)(value & 0x7f);
            value >>= 7;
            if (i < 4)
            {
                b |= 0x80;
            }

            s.WriteByte(b);
        }
    }
}
