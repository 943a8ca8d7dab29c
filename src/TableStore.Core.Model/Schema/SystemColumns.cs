namespace TableStore.Core.Schema;

/// <summary>Names of the columns the engine adds to rows and files.</summary>
public static class SystemColumns
{
    /// <summary>Stored in primary-key data files: the row's sequence number in its bucket.</summary>
    public const string SequenceNumber = "_SEQUENCE_NUMBER";
    /// <summary>Stored in primary-key data files: the row kind as a byte (0 +I, 1 -U, 2 +U, 3 -D).</summary>
    public const string ValueKind = "_VALUE_KIND";
    /// <summary>The row-kind column of CSV/JSONL input and change output.</summary>
    public const string Op = "_op";
    /// <summary>The snapshot id column of change output.</summary>
    public const string Snapshot = "_snapshot";
}
