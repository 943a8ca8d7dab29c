using System.Runtime.InteropServices;

namespace TableStore.Core.IO;

/// <summary>
/// The two POSIX calls the local store needs and .NET does not expose: an atomic no-replace publish and a
/// directory fsync. (.NET's <c>File.Move(overwrite: false)</c> checks for the target and then renames, which
/// lets two racers both "create" the same file.)
/// </summary>
internal static partial class PosixFiles
{
    private const int EEXIST = 17;
    private const int O_RDONLY = 0;

    [LibraryImport("libc", EntryPoint = "link", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Link(string oldPath, string newPath);

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);

    /// <summary>Creates <paramref name="target"/> as a hard link to <paramref name="source"/>; false if it exists.</summary>
    public static bool TryLinkNoReplace(string source, string target)
    {
        if (Link(source, target) == 0) return true;
        int errno = Marshal.GetLastPInvokeError();
        if (errno == EEXIST) return false;
        throw new IOException($"Cannot create '{target}': link(2) failed with errno {errno} ({Marshal.GetPInvokeErrorMessage(errno)}).");
    }

    /// <summary>Makes a rename or link in <paramref name="directory"/> durable.</summary>
    public static void FsyncDirectory(string directory)
    {
        int fd = Open(directory, O_RDONLY);
        if (fd < 0) return; // best effort: some file systems do not allow opening directories
        try { Fsync(fd); }
        finally { Close(fd); }
    }
}
