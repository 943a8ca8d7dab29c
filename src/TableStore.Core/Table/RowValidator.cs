using TableStore.Core.Data;
using TableStore.Core.Schema;

namespace TableStore.Core.Table;

/// <summary>
/// Checks rows handed to a write: width, value types (integral values widen where lossless) and nulls.
/// Retractions (-U/-D) of a primary-key table need only the key. Errors name the column.
/// </summary>
public sealed class RowValidator(TableSchema schema)
{
    private readonly HashSet<int> _keyOrPartition = [.. schema.KeyIndices, .. schema.PartitionIndices];

    public object?[] Validate(RowKind kind, object?[] values)
    {
        if (values.Length != schema.Fields.Length)
            throw new InvalidInputException($"A row has {values.Length} values; the table has {schema.Fields.Length} columns ({string.Join(", ", schema.Fields.Select(f => f.Name))}).");
        if (schema.Kind == TableKind.AppendOnly && kind != RowKind.Insert)
            throw new InvalidInputException($"Row kind {kind.ToShortString()} needs a primary key: the table is append-only and only accepts +I.");
        bool retract = kind.IsRetract();
        for (int i = 0; i < values.Length; i++)
        {
            var field = schema.Fields[i];
            var v = values[i];
            if (v is null)
            {
                if (_keyOrPartition.Contains(i))
                    throw new InvalidInputException($"Column '{field.Name}' is a {(schema.KeyIndices.Contains(i) ? "primary-key" : "partition")} column and cannot be null.");
                if (!field.Type.Nullable && !retract)
                    throw new InvalidInputException($"Column '{field.Name}' is NOT NULL and cannot be null.");
                continue;
            }
            if (v.GetType() != field.Type.ClrType || field.Type.Kind is DataTypeKind.Decimal or DataTypeKind.Timestamp or DataTypeKind.String)
            {
                try { values[i] = Values.Coerce(v, field.Type); }
                catch (InvalidInputException e) { throw new InvalidInputException($"Column '{field.Name}': {e.Message}"); }
            }
        }
        if (schema.Kind == TableKind.PrimaryKey && schema.MergeSpec.Rejects(kind, values) is { } why)
            throw new InvalidInputException($"Row kind {kind.ToShortString()} is not accepted: {why}.");
        return values;
    }
}
