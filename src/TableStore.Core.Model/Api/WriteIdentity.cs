namespace TableStore.Core.Api;

/// <summary>
/// What makes a write safe to run again: a committer name and a number that grows with each of its writes. A write
/// sent again with the same identity is recognised once committed and not applied twice.
/// </summary>
public sealed record WriteIdentity(string CommitUser, long CommitId);
