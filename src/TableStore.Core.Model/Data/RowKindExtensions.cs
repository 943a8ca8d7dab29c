namespace TableStore.Core.Data;

public static class RowKindExtensions
{
    public static string ToShortString(this RowKind kind) => kind switch
    {
        RowKind.Insert => "+I",
        RowKind.UpdateBefore => "-U",
        RowKind.UpdateAfter => "+U",
        RowKind.Delete => "-D",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>-U and -D retract a key: after merging, a key whose last row retracts is absent.</summary>
    public static bool IsRetract(this RowKind kind) => kind is RowKind.UpdateBefore or RowKind.Delete;

    public static bool TryParse(string text, out RowKind kind)
    {
        switch (text.Trim())
        {
            case "+I" or "I" or "": kind = RowKind.Insert; return true;
            case "-U": kind = RowKind.UpdateBefore; return true;
            case "+U" or "U": kind = RowKind.UpdateAfter; return true;
            case "-D" or "D": kind = RowKind.Delete; return true;
            default: kind = RowKind.Insert; return false;
        }
    }

    public static RowKind FromByte(byte b) => b <= 3 ? (RowKind)b : throw new CorruptFileException($"Invalid row kind byte {b}.");
}
