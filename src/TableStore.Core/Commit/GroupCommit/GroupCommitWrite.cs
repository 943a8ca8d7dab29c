namespace TableStore.Core.Commit.GroupCommit;

/// <summary>
/// A write whose rows wait in bucket writers for a group commit: its id (a client's retry sends the same), the
/// buckets holding its rows, how many rows and bytes.
/// </summary>
public sealed record GroupCommitWrite(string WriteId, IReadOnlyList<string> Buckets, int Rows, long Bytes);
