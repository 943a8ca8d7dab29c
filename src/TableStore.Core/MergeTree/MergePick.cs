namespace TableStore.Core.MergeTree;

/// <summary>One row of a merge result: a version in a run, or (other merge engines) a merged row.</summary>
public readonly record struct MergePick(int Run, int Row, KeyValue? Merged);
