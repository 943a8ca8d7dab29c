using System.Runtime.CompilerServices;

namespace TableStore.Core.IO;

/// <summary>
/// Objects as files under a root folder. Writes go to a hidden temp file that is flushed to disk and then
/// renamed into place, so a crash never leaves a partial object; the folder is fsynced after, so the new name
/// survives a power loss too. Put-if-absent publishes the temp file with link(2), which fails atomically when
/// the target exists: create-new with full content (on Windows, a move without replace, also atomic).
/// </summary>
public sealed class LocalFileSystemObjectStore : IObjectStore
{
    internal const string TempMarker = ".tmp-";
    private readonly string _root;

    /// <remarks>The root folder is created by the first write, so opening a mistyped location for reading creates nothing.</remarks>
    public LocalFileSystemObjectStore(string root)
    {
        _root = Path.GetFullPath(root);
    }

    public string Location => new Uri(_root.EndsWith('/') ? _root : _root + "/").AbsoluteUri.TrimEnd('/');

    public string? LocalPath(string path) => FullPath(path);

    private string FullPath(string path) => Path.Combine(_root, ObjectPaths.Validate(path));

    public async Task<byte[]> GetAsync(string path, CancellationToken cancellationToken = default)
    {
        try { return await File.ReadAllBytesAsync(FullPath(path), cancellationToken).ConfigureAwait(false); }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException) { throw new ObjectNotFoundException(Location, path); }
    }

    public Task<Stream> OpenReadAsync(string path, CancellationToken cancellationToken = default)
    {
        try
        {
            // No read-ahead buffer: Parquet readers jump between the footer and column chunks.
            return Task.FromResult<Stream>(new FileStream(FullPath(path), FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete,
                bufferSize: 0, FileOptions.RandomAccess | FileOptions.Asynchronous));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return Task.FromException<Stream>(new ObjectNotFoundException(Location, path));
        }
    }

    public async Task<byte[]> GetRangeAsync(string path, long offset, int length, CancellationToken cancellationToken = default)
    {
        try
        {
            using var handle = File.OpenHandle(FullPath(path), FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, FileOptions.Asynchronous);
            long size = RandomAccess.GetLength(handle);
            int n = (int)Math.Clamp(size - offset, 0, length);
            var buffer = new byte[n];
            int read = 0;
            while (read < n)
            {
                int r = await RandomAccess.ReadAsync(handle, buffer.AsMemory(read), offset + read, cancellationToken).ConfigureAwait(false);
                if (r == 0) break;
                read += r;
            }
            return read == n ? buffer : buffer[..read];
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException) { throw new ObjectNotFoundException(Location, path); }
    }

    public async Task PutAsync(string path, ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
    {
        var target = FullPath(path);
        var temp = await WriteTempAsync(target, data, cancellationToken).ConfigureAwait(false);
        try { File.Move(temp, target, overwrite: true); }
        catch { TryDelete(temp); throw; }
        SyncDirectory(target);
    }

    public async Task<bool> PutIfAbsentAsync(string path, ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
    {
        var target = FullPath(path);
        if (File.Exists(target)) return false;
        var temp = await WriteTempAsync(target, data, cancellationToken).ConfigureAwait(false);
        try
        {
            bool created;
            if (OperatingSystem.IsWindows())
            {
                try { File.Move(temp, target, overwrite: false); created = true; }
                catch (IOException) when (File.Exists(target)) { created = false; }
            }
            else
            {
                created = PosixFiles.TryLinkNoReplace(temp, target) switch
                {
                    PosixFiles.LinkResult.Created => true,
                    // NFS may report EEXIST for a link it made on a resent request: the object holding exactly
                    // our bytes (which include unique names) means the create was ours.
                    PosixFiles.LinkResult.Exists => await HoldsAsync(target, data, cancellationToken).ConfigureAwait(false),
                    _ => await CreateExclusiveAsync(target, data, cancellationToken).ConfigureAwait(false),
                };
            }
            if (created) SyncDirectory(target);
            return created;
        }
        finally
        {
            TryDelete(temp); // after link(2) the temp name is a second link to the published file
        }
    }

    private static async Task<bool> HoldsAsync(string file, ReadOnlyMemory<byte> data, CancellationToken ct)
    {
        try { return (await File.ReadAllBytesAsync(file, ct).ConfigureAwait(false)).AsSpan().SequenceEqual(data.Span); }
        catch (FileNotFoundException) { return false; }
    }

    /// <summary>
    /// For file systems without hard links: an exclusive create, then the bytes. Still exactly one winner, but a
    /// reader racing the writer may see the file short for a moment (it then fails to parse and retries).
    /// </summary>
    private static async Task<bool> CreateExclusiveAsync(string target, ReadOnlyMemory<byte> data, CancellationToken ct)
    {
        FileStream fs;
        try { fs = new FileStream(target, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous); }
        catch (IOException) when (File.Exists(target)) { return false; }
        await using (fs.ConfigureAwait(false))
        {
            await fs.WriteAsync(data, ct).ConfigureAwait(false);
            fs.Flush(flushToDisk: true);
        }
        return true;
    }

    /// <summary>Creates missing folders and fsyncs the parent of each, so a power loss cannot drop a new folder.</summary>
    private static void CreateDirectoryDurably(string dir)
    {
        if (Directory.Exists(dir)) return;
        var missing = new Stack<string>();
        for (var d = dir; d is not null && !Directory.Exists(d); d = Path.GetDirectoryName(d)) missing.Push(d);
        Directory.CreateDirectory(dir);
        if (OperatingSystem.IsWindows()) return;
        foreach (var created in missing) PosixFiles.FsyncDirectory(Path.GetDirectoryName(created)!);
    }

    private static void SyncDirectory(string file)
    {
        if (!OperatingSystem.IsWindows()) PosixFiles.FsyncDirectory(Path.GetDirectoryName(file)!);
    }

    private static async Task<string> WriteTempAsync(string target, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        var dir = Path.GetDirectoryName(target)!;
        CreateDirectoryDurably(dir);
        var temp = Path.Combine(dir, "." + Path.GetFileName(target) + TempMarker + Guid.NewGuid().ToString("N"));
        try
        {
            await using var fs = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous);
            await fs.WriteAsync(data, cancellationToken).ConfigureAwait(false);
            // Durable before it becomes visible: the rename must never expose a file whose bytes are not on disk.
            fs.Flush(flushToDisk: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
        return temp;
    }

    private static void TryDelete(string file)
    {
        try { File.Delete(file); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    public async IAsyncEnumerable<ObjectInfo> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.CompletedTask.ConfigureAwait(false);
        int slash = prefix.LastIndexOf('/');
        var dir = slash < 0 ? _root : Path.Combine(_root, ObjectPaths.Validate(prefix[..slash]));
        if (!Directory.Exists(dir)) yield break;
        var results = new List<ObjectInfo>();
        foreach (var file in Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories))
        {
            var rel = Path.GetRelativePath(_root, file).Replace('\\', '/');
            if (!rel.StartsWith(prefix, StringComparison.Ordinal)) continue;
            if (Path.GetFileName(file).Contains(TempMarker, StringComparison.Ordinal)) continue;
            var info = new FileInfo(file);
            if (!info.Exists) continue;
            results.Add(new ObjectInfo(rel, info.Length, info.LastWriteTimeUtc));
        }
        results.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
        foreach (var r in results)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return r;
        }
    }

    public Task DeleteAsync(string path, CancellationToken cancellationToken = default)
    {
        try { File.Delete(FullPath(path)); }
        catch (DirectoryNotFoundException) { }
        return Task.CompletedTask;
    }

    public Task<bool> ExistsAsync(string path, CancellationToken cancellationToken = default) =>
        Task.FromResult(File.Exists(FullPath(path)));
}
