namespace TableStore.Core.Manifest;

public enum CommitKind { Append, Compact, Overwrite }
