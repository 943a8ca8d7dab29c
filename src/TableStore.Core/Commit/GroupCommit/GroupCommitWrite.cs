namespace TableStore.Core.Commit.GroupCommit;

/// <summary>
/// A write whose rows wait in bucket writers for a group commit: its id (a client's retry sends the same), the
/// buckets holding its rows, how many rows and bytes.
/// </summary>
/// <param name="NotBeforeMillis">
/// For a write that may have been sent before (a retry): no commit of it can be older than this time (Unix ms,
/// with a margin for clocks). Null for a first attempt: only the remembered snapshots are checked.
/// </param>
public sealed record GroupCommitWrite(string WriteId, IReadOnlyList<string> Buckets, int Rows, long Bytes, long? NotBeforeMillis = null);
