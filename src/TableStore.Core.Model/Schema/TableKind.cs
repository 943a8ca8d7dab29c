namespace TableStore.Core.Schema;

public enum TableKind
{
    /// <summary>Has a primary key: rows are upserted/deleted, each bucket is an LSM tree merged on read.</summary>
    PrimaryKey,
    /// <summary>No primary key: rows are appended, files are never merged.</summary>
    AppendOnly,
}
