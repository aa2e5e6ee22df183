using System.Buffers;
using System.Text;

namespace WasmMesh.Oci;

/// <summary>
/// Writes an uncompressed POSIX ustar archive entry by entry, streaming each file's content with a size known up
/// front (as OCI descriptors declare it). Times are zero so the same content always gives the same archive.
/// </summary>
internal sealed class UstarWriter(Stream output)
{
    private const int Block = 512;

    public async Task WriteDirectoryAsync(string name, CancellationToken cancellationToken)
        => await output.WriteAsync(Header(name.EndsWith('/') ? name : name + "/", 0, '5', "0000755"), cancellationToken).ConfigureAwait(false);

    public async Task WriteFileAsync(string name, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        await output.WriteAsync(Header(name, content.Length, '0', "0000644"), cancellationToken).ConfigureAwait(false);
        await output.WriteAsync(content, cancellationToken).ConfigureAwait(false);
        await PadAsync(content.Length, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes a file whose content is read from <paramref name="content"/>; it must yield exactly <paramref name="size"/> bytes.</summary>
    public async Task WriteFileAsync(string name, long size, Stream content, CancellationToken cancellationToken)
    {
        await output.WriteAsync(Header(name, size, '0', "0000644"), cancellationToken).ConfigureAwait(false);
        var buffer = ArrayPool<byte>.Shared.Rent(81920);
        try
        {
            long written = 0;
            int n;
            while ((n = await content.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                written += n;
                if (written > size)
                {
                    throw new InvalidDataException($"{name}: the content is longer than its declared {size} bytes");
                }

                await output.WriteAsync(buffer.AsMemory(0, n), cancellationToken).ConfigureAwait(false);
            }

            if (written != size)
            {
                throw new InvalidDataException($"{name}: the content ended after {written} of its declared {size} bytes");
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        await PadAsync(size, cancellationToken).ConfigureAwait(false);
    }

    public async Task FinishAsync(CancellationToken cancellationToken)
    {
        await output.WriteAsync(new byte[Block * 2], cancellationToken).ConfigureAwait(false);
        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task PadAsync(long size, CancellationToken cancellationToken)
    {
        var rest = (int)(size % Block);
        if (rest != 0)
        {
            await output.WriteAsync(new byte[Block - rest], cancellationToken).ConfigureAwait(false);
        }
    }

    private static byte[] Header(string name, long size, char type, string mode)
    {
        var header = new byte[Block];
        var nameBytes = Encoding.ASCII.GetBytes(name);
        if (nameBytes.Length > 100)
        {
            throw new ArgumentException($"tar entry name '{name}' is longer than 100 bytes", nameof(name));
        }

        nameBytes.CopyTo(header, 0);
        Field(header, 100, 8, mode);
        Field(header, 108, 8, "0000000");
        Field(header, 116, 8, "0000000");
        Field(header, 124, 12, Convert.ToString(size, 8).PadLeft(11, '0'));
        Field(header, 136, 12, "00000000000");
        header[156] = (byte)type;
        Encoding.ASCII.GetBytes("ustar\0").CopyTo(header, 257);
        Encoding.ASCII.GetBytes("00").CopyTo(header, 263);
        for (var i = 148; i < 156; i++)
        {
            header[i] = (byte)' ';
        }

        var sum = 0;
        foreach (var b in header)
        {
            sum += b;
        }

        Field(header, 148, 7, Convert.ToString(sum, 8).PadLeft(6, '0'));
        header[154] = 0;
        header[155] = (byte)' ';
        return header;
    }

    private static void Field(byte[] header, int offset, int length, string value)
    {
        var bytes = Encoding.ASCII.GetBytes(value);
        if (bytes.Length >= length)
        {
            throw new ArgumentException($"tar header value '{value}' does not fit {length} bytes", nameof(value));
        }

        bytes.CopyTo(header, offset);
    }
}
