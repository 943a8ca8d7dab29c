namespace TableStore.Core.Data;

/// <summary>The kind of a changelog row. The byte values are stored in data files (<c>_VALUE_KIND</c>).</summary>
public enum RowKind : byte
{
    Insert = 0,
    UpdateBefore = 1,
    UpdateAfter = 2,
    Delete = 3,
}
