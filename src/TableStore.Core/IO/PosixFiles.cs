using System.Runtime.InteropServices;

namespace TableStore.Core.IO;

/// <summary>
/// The two POSIX calls the local store needs and .NET does not expose: an atomic no-replace publish and a
/// directory fsync. (.NET's <c>File.Move(overwrite: false)</c> checks for the target and then renames, which
/// lets two racers both "create" the same file.)
/// </summary>
internal static partial class PosixFiles
{
    private const int EPERM = 1, EEXIST = 17, EXDEV = 18, EMLINK = 31, ENOSYS = 38, EOPNOTSUPP = 95;
    private const int O_RDONLY = 0;
    private const int O_DIRECTORY_LINUX = 0x10000, O_CLOEXEC_LINUX = 0x80000;

    [LibraryImport("libc", EntryPoint = "link", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Link(string oldPath, string newPath);

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);

    public enum LinkResult { Created, Exists, Unsupported }

    /// <summary>Creates <paramref name="target"/> as a hard link to <paramref name="source"/>.</summary>
    public static LinkResult TryLinkNoReplace(string source, string target)
    {
        if (Link(source, target) == 0) return LinkResult.Created;
        int errno = Marshal.GetLastPInvokeError();
        if (errno == EEXIST) return LinkResult.Exists;
        if (errno is EPERM or EXDEV or EMLINK or ENOSYS or EOPNOTSUPP) return LinkResult.Unsupported; // no hard links here
        throw new IOException($"Cannot create '{target}': link(2) failed with errno {errno} ({Marshal.GetPInvokeErrorMessage(errno)}).");
    }

    /// <summary>Makes entries created or renamed in <paramref name="directory"/> durable.</summary>
    public static void FsyncDirectory(string directory)
    {
        int flags = OperatingSystem.IsLinux() ? O_RDONLY | O_DIRECTORY_LINUX | O_CLOEXEC_LINUX : O_RDONLY;
        int fd = Open(directory, flags);
        if (fd < 0) return; // some file systems do not let a directory be opened: nothing more can be done
        try
        {
            if (Fsync(fd) != 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                throw new IOException($"fsync of folder '{directory}' failed with errno {errno} ({Marshal.GetPInvokeErrorMessage(errno)}).");
            }
        }
        finally { Close(fd); }
    }
}
