using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace WasmMesh.Sources;

/// <summary>
/// What identifies the content of a file without reading it: device and inode, size, modification and change times
/// (nanoseconds). A file rewritten in place, truncated, replaced by another file, or touched back to its old mtime has a
/// different identity. Comparing two identities is the whole cost of re-checking a verified file before it is served.
/// </summary>
internal readonly record struct FileIdentity(ulong Device, ulong Inode, long Size, long ModifiedNanoseconds, long ChangedNanoseconds)
{
    // struct stat on Linux x86-64 and arm64 (the kernel's generic layout) share these offsets.
    private static readonly bool UseStat = OperatingSystem.IsLinux() && RuntimeInformation.ProcessArchitecture is Architecture.X64 or Architecture.Arm64;

    /// <summary>The identity of the file at a path.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="IOException">The file could not be examined.</exception>
    public static FileIdentity Of(string path)
    {
        if (UseStat)
        {
            if (NativeMethods.Stat(path, out var buffer) != 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                throw errno == 2 ? new FileNotFoundException($"cache file {path} is missing", path) : new IOException($"cannot examine cache file {path} (errno {errno})");
            }

            return FromStat(buffer);
        }

        var info = new FileInfo(path);
        return info.Exists ? Fallback(info.Length, info.LastWriteTimeUtc, info.CreationTimeUtc) : throw new FileNotFoundException($"cache file {path} is missing", path);
    }

    /// <summary>The identity of an open file.</summary>
    public static FileIdentity Of(SafeFileHandle handle, string path)
    {
        if (UseStat)
        {
            var added = false;
            try
            {
                handle.DangerousAddRef(ref added);
                if (NativeMethods.FStat((int)handle.DangerousGetHandle(), out var buffer) != 0)
                {
                    throw new IOException($"cannot examine cache file {path} (errno {Marshal.GetLastPInvokeError()})");
                }

                return FromStat(buffer);
            }
            finally
            {
                if (added)
                {
                    handle.DangerousRelease();
                }
            }
        }

        var info = new FileInfo(path);
        return Fallback(RandomAccess.GetLength(handle), info.LastWriteTimeUtc, info.CreationTimeUtc);
    }

    private static FileIdentity FromStat(in StatBuffer s)
        => new(s.Device, s.Inode, s.Size, (s.ModifiedSeconds * 1_000_000_000) + s.ModifiedNanoseconds, (s.ChangedSeconds * 1_000_000_000) + s.ChangedNanoseconds);

    private static FileIdentity Fallback(long size, DateTime modified, DateTime created)
        => new(0, (ulong)created.Ticks, size, modified.Ticks * 100, 0);

    /// <summary>The fields of <c>struct stat</c> compared, at their offsets on Linux x86-64 and arm64 (128/144 bytes; room for both).</summary>
    [StructLayout(LayoutKind.Explicit, Size = 256)]
    internal struct StatBuffer
    {
        [FieldOffset(0)]
        public ulong Device;

        [FieldOffset(8)]
        public ulong Inode;

        [FieldOffset(48)]
        public long Size;

        [FieldOffset(88)]
        public long ModifiedSeconds;

        [FieldOffset(96)]
        public long ModifiedNanoseconds;

        [FieldOffset(104)]
        public long ChangedSeconds;

        [FieldOffset(112)]
        public long ChangedNanoseconds;
    }

    private static class NativeMethods
    {
#pragma warning disable SYSLIB1054, CA5392, CA2101 // a blittable out struct: runtime marshalling is free here and keeps the project free of unsafe code
        [DllImport("libc", EntryPoint = "stat", SetLastError = true, CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
        public static extern int Stat(string path, out StatBuffer buffer);

        [DllImport("libc", EntryPoint = "fstat", SetLastError = true)]
        public static extern int FStat(int fd, out StatBuffer buffer);
#pragma warning restore SYSLIB1054, CA5392, CA2101
    }
}
