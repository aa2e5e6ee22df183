using System.Buffers;
using System.Text;

namespace WasmMesh;

/// <summary>
/// Reads a WebAssembly module's header, import section and export section from a stream, without buffering the
/// module: every other section is skipped.
/// </summary>
public static class WasmModuleInspector
{
    /// <summary>The prefix of the proxy-wasm ABI marker export (<c>proxy_abi_version_0_2_0</c>, …).</summary>
    public const string ProxyAbiExportPrefix = "proxy_abi_version_";

    /// <summary>The length of the module header (magic and version).</summary>
    public const int HeaderLength = 8;

    private const byte ImportSectionId = 2;
    private const byte ExportSectionId = 7;
    private const int MaxExportSectionBytes = 16 * 1024 * 1024;

    /// <summary>Whether the bytes start with the WebAssembly magic <c>00 61 73 6d</c> and version 1.</summary>
    /// <param name="header">At least the first 8 bytes of the content.</param>
    /// <returns>Whether it is a version 1 WebAssembly module header.</returns>
    public static bool HasWasmHeader(ReadOnlySpan<byte> header)
        => header.Length >= HeaderLength
           && header[0] == 0x00 && header[1] == 0x61 && header[2] == 0x73 && header[3] == 0x6d
           && header[4] == 0x01 && header[5] == 0x00 && header[6] == 0x00 && header[7] == 0x00;

    /// <summary>Inspects a module read from a stream (from its current position to its end).</summary>
    /// <param name="module">The module bytes.</param>
    /// <param name="subject">What is inspected, for error messages.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The header version, imports and exports.</returns>
    /// <exception cref="InvalidWasmModuleException">The content is not a well-formed module.</exception>
    public static async Task<WasmModuleInfo> InspectAsync(Stream module, string subject, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(subject);
        var reader = new Reader(module, subject);
        var header = new byte[HeaderLength];
        var n = await reader.ReadAtMostAsync(header, cancellationToken).ConfigureAwait(false);
        if (n < 4 || header[0] != 0x00 || header[1] != 0x61 || header[2] != 0x73 || header[3] != 0x6d)
        {
            throw new InvalidWasmModuleException(subject, "it does not start with the WebAssembly magic bytes 00 61 73 6d", 0);
        }

        if (n < HeaderLength)
        {
            throw new InvalidWasmModuleException(subject, "the header is truncated", n);
        }

        var version = BitConverter.ToUInt32(header, 4);
        if (version != 1)
        {
            throw new InvalidWasmModuleException(subject, $"binary format version {version} is not supported (expected 1)", 4);
        }

        var exports = new List<string>();
        var imports = new List<WasmImport>();
        while (true)
        {
            var id = await reader.ReadByteOrEndAsync(cancellationToken).ConfigureAwait(false);
            if (id < 0)
            {
                break;
            }

            var size = await reader.ReadVarUInt32Async(cancellationToken).ConfigureAwait(false);
            if (id is ExportSectionId or ImportSectionId)
            {
                var what = id == ExportSectionId ? "export" : "import";
                if (size > MaxExportSectionBytes)
                {
                    throw new InvalidWasmModuleException(subject, $"the {what} section is {size} bytes, over the {MaxExportSectionBytes} byte limit", reader.Position);
                }

                var section = new byte[size];
                await reader.ReadExactlyAsync(section, cancellationToken).ConfigureAwait(false);
                if (id == ExportSectionId)
                {
                    ParseExports(section, subject, reader.Position - size, exports);
                }
                else
                {
                    ParseImports(section, subject, reader.Position - size, imports);
                }
            }
            else
            {
                await reader.SkipAsync(size, cancellationToken).ConfigureAwait(false);
            }
        }

        return new WasmModuleInfo { Version = version, Exports = exports, Imports = imports };
    }

    /// <summary>Inspects a module file.</summary>
    /// <param name="path">The file path.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The header version, imports and exports.</returns>
    public static async Task<WasmModuleInfo> InspectFileAsync(string path, CancellationToken cancellationToken = default)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 65536, FileOptions.Asynchronous | FileOptions.SequentialScan);
        await using (stream.ConfigureAwait(false))
        {
            return await InspectAsync(stream, Path.GetFileName(path), cancellationToken).ConfigureAwait(false);
        }
    }

    private static void ParseExports(byte[] section, string subject, long baseOffset, List<string> exports)
    {
        var pos = 0;
        var count = ReadVarUInt32(section, ref pos, subject, baseOffset);
        for (var i = 0u; i < count; i++)
        {
            var length = ReadVarUInt32(section, ref pos, subject, baseOffset);
            if (pos + length > section.Length)
            {
                throw new InvalidWasmModuleException(subject, "an export name runs past the end of the export section", baseOffset + pos);
            }

            exports.Add(Encoding.UTF8.GetString(section, pos, (int)length));
            pos += (int)length;
            if (pos + 1 > section.Length)
            {
                throw new InvalidWasmModuleException(subject, "the export section is truncated", baseOffset + pos);
            }

            pos++; // export kind
            _ = ReadVarUInt32(section, ref pos, subject, baseOffset); // index
        }
    }

    private static void ParseImports(byte[] section, string subject, long baseOffset, List<WasmImport> imports)
    {
        var pos = 0;
        var count = ReadVarUInt32(section, ref pos, subject, baseOffset, "import");
        for (var i = 0u; i < count; i++)
        {
            var module = ReadName(section, ref pos, subject, baseOffset);
            var name = ReadName(section, ref pos, subject, baseOffset);
            var kind = ReadByte(section, ref pos, subject, baseOffset);
            switch (kind)
            {
                case 0x00: // function: type index
                    _ = ReadVarUInt32(section, ref pos, subject, baseOffset, "import");
                    break;
                case 0x01: // table: reference type, limits
                    _ = ReadByte(section, ref pos, subject, baseOffset);
                    SkipLimits(section, ref pos, subject, baseOffset);
                    break;
                case 0x02: // memory: limits
                    SkipLimits(section, ref pos, subject, baseOffset);
                    break;
                case 0x03: // global: value type, mutability
                    _ = ReadByte(section, ref pos, subject, baseOffset);
                    _ = ReadByte(section, ref pos, subject, baseOffset);
                    break;
                default:
                    throw new InvalidWasmModuleException(subject, $"import {module}.{name} has unknown kind 0x{kind:x2}", baseOffset + pos - 1);
            }

            imports.Add(new WasmImport(module, name, (WasmImportKind)kind));
        }
    }

    private static string ReadName(byte[] section, ref int pos, string subject, long baseOffset)
    {
        var length = ReadVarUInt32(section, ref pos, subject, baseOffset, "import");
        if (pos + length > section.Length)
        {
            throw new InvalidWasmModuleException(subject, "an import name runs past the end of the import section", baseOffset + pos);
        }

        var name = Encoding.UTF8.GetString(section, pos, (int)length);
        pos += (int)length;
        return name;
    }

    private static byte ReadByte(byte[] section, ref int pos, string subject, long baseOffset)
    {
        if (pos >= section.Length)
        {
            throw new InvalidWasmModuleException(subject, "the import section is truncated", baseOffset + pos);
        }

        return section[pos++];
    }

    private static void SkipLimits(byte[] section, ref int pos, string subject, long baseOffset)
    {
        var flags = ReadByte(section, ref pos, subject, baseOffset);
        SkipVarUInt64(section, ref pos, subject, baseOffset);
        if ((flags & 0x01) != 0)
        {
            SkipVarUInt64(section, ref pos, subject, baseOffset);
        }
    }

    private static void SkipVarUInt64(byte[] section, ref int pos, string subject, long baseOffset)
    {
        for (var i = 0; i < 10; i++)
        {
            if ((ReadByte(section, ref pos, subject, baseOffset) & 0x80) == 0)
            {
                return;
            }
        }

        throw new InvalidWasmModuleException(subject, "an integer in the import section is malformed", baseOffset + pos);
    }

    private static uint ReadVarUInt32(byte[] data, ref int pos, string subject, long baseOffset, string section = "export")
    {
        uint result = 0;
        for (var shift = 0; shift < 35; shift += 7)
        {
            if (pos >= data.Length)
            {
                throw new InvalidWasmModuleException(subject, $"the {section} section is truncated", baseOffset + pos);
            }

            var b = data[pos++];
            result |= (uint)(b & 0x7f) << shift;
            if ((b & 0x80) == 0)
            {
                return result;
            }
        }

        throw new InvalidWasmModuleException(subject, $"an integer in the {section} section is malformed", baseOffset + pos);
    }

    private sealed class Reader(Stream stream, string subject)
    {
        private readonly byte[] _one = new byte[1];

        public long Position { get; private set; }

        public async Task<int> ReadAtMostAsync(byte[] buffer, CancellationToken cancellationToken)
        {
            var n = await stream.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            Position += n;
            return n;
        }

        public async Task<int> ReadByteOrEndAsync(CancellationToken cancellationToken)
        {
            var n = await stream.ReadAsync(_one, cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                return -1;
            }

            Position++;
            return _one[0];
        }

        public async Task ReadExactlyAsync(byte[] buffer, CancellationToken cancellationToken)
        {
            var n = await ReadAtMostAsync(buffer, cancellationToken).ConfigureAwait(false);
            if (n < buffer.Length)
            {
                throw new InvalidWasmModuleException(subject, "a section runs past the end of the module", Position);
            }
        }

        public async Task<uint> ReadVarUInt32Async(CancellationToken cancellationToken)
        {
            uint result = 0;
            for (var shift = 0; shift < 35; shift += 7)
            {
                var b = await ReadByteOrEndAsync(cancellationToken).ConfigureAwait(false);
                if (b < 0)
                {
                    throw new InvalidWasmModuleException(subject, "a section header is truncated", Position);
                }

                result |= (uint)(b & 0x7f) << shift;
                if ((b & 0x80) == 0)
                {
                    return result;
                }
            }

            throw new InvalidWasmModuleException(subject, "a section size is malformed", Position);
        }

        public async Task SkipAsync(uint count, CancellationToken cancellationToken)
        {
            if (stream.CanSeek)
            {
                if (stream.Position + count > stream.Length)
                {
                    throw new InvalidWasmModuleException(subject, "a section runs past the end of the module", Position);
                }

                stream.Seek(count, SeekOrigin.Current);
                Position += count;
                return;
            }

            var buffer = ArrayPool<byte>.Shared.Rent(65536);
            try
            {
                var left = (long)count;
                while (left > 0)
                {
                    var n = await stream.ReadAsync(buffer.AsMemory(0, (int)Math.Min(left, buffer.Length)), cancellationToken).ConfigureAwait(false);
                    if (n == 0)
                    {
                        throw new InvalidWasmModuleException(subject, "a section runs past the end of the module", Position);
                    }

                    left -= n;
                    Position += n;
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }
}
