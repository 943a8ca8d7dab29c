using Parquet.Schema;
using TableStore.Core.Schema;

namespace TableStore.Core.Format;

/// <summary>Maps table schemas to Parquet schemas: user columns keep their names and field ids.</summary>
internal static class ParquetSchemas
{
    private static Parquet.Schema.DataField ToParquet(Schema.DataField f)
    {
        bool n = f.Type.Nullable;
        Parquet.Schema.DataField p = f.Type.Kind switch
        {
            DataTypeKind.Boolean => n ? new DataField<bool?>(f.Name) : new DataField<bool>(f.Name),
            DataTypeKind.Int => n ? new DataField<int?>(f.Name) : new DataField<int>(f.Name),
            DataTypeKind.BigInt => n ? new DataField<long?>(f.Name) : new DataField<long>(f.Name),
            DataTypeKind.Float => n ? new DataField<float?>(f.Name) : new DataField<float>(f.Name),
            DataTypeKind.Double => n ? new DataField<double?>(f.Name) : new DataField<double>(f.Name),
            DataTypeKind.Decimal => new DecimalDataField(f.Name, f.Type.Precision, f.Type.Scale, isNullable: n),
            DataTypeKind.String => new DataField<string>(f.Name, nullable: n),
            DataTypeKind.Bytes => new DataField<byte[]>(f.Name, nullable: n),
            DataTypeKind.Date => n ? new DataField<DateOnly?>(f.Name) : new DataField<DateOnly>(f.Name),
            // Not adjusted to UTC: TIMESTAMP is a zone-less date-time, which DuckDB reads as TIMESTAMP.
            // Milliseconds: Parquet.Net 6.1 writes the footer min/max of MICROS columns in milliseconds,
            // which makes other engines' filters skip matching row groups (see docs/decisions.md).
            DataTypeKind.Timestamp => new DateTimeDataField(f.Name, DateTimeFormat.Timestamp, isAdjustedToUTC: false, unit: DateTimeTimeUnit.Millis, isNullable: n),
            _ => throw new ArgumentOutOfRangeException(nameof(f)),
        };
        p.FieldId = f.Id;
        return p;
    }

    public static DataField<long> Sequence() => new(SystemColumns.SequenceNumber);
    public static DataField<int> ValueKind() => new(SystemColumns.ValueKind);

    public static ParquetSchema ForTable(TableSchema schema)
    {
        var fields = new List<Field>(schema.Fields.Length + 2);
        if (schema.Kind == TableKind.PrimaryKey)
        {
            fields.Add(Sequence());
            fields.Add(ValueKind());
        }
        // In primary-key files, value columns are nullable even when declared NOT NULL: a -D or -U row only
        // needs its key. Reads apply the declared nullability to the merged result.
        var keys = schema.KeyIndices.ToHashSet();
        fields.AddRange(schema.Fields.Select((f, i) => ToParquet(schema.Kind == TableKind.PrimaryKey && !keys.Contains(i)
            ? f with { Type = f.Type.AsNullable(true) } : f)));
        return new ParquetSchema(fields);
    }
}
