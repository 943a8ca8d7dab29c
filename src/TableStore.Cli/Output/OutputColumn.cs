using TableStore.Core.Schema;

namespace TableStore.Cli.Output;

/// <summary>An output column: its name and whether the grid right-aligns it (numbers).</summary>
internal sealed record OutputColumn(string Name, bool AlignRight = false)
{
    public static OutputColumn From(DataField field) => new(field.Name, field.Type.Kind is
        DataTypeKind.Int or DataTypeKind.BigInt or DataTypeKind.Float or DataTypeKind.Double or DataTypeKind.Decimal);
}
