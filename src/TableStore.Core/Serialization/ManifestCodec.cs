using System.Collections.Immutable;
using TableStore.Core.Data;
using TableStore.Core.Manifest;
using TableStore.Core.Schema;

namespace TableStore.Core.Serialization;

internal static class ManifestCodec
{
    public static List<string?> EncodeValues(IEnumerable<object?> values) =>
        values.Select(v => v is null ? null : Values.Format(v)).ToList();

    public static object?[] DecodeValues(List<string?> texts, IReadOnlyList<DataType> types, string path)
    {
        if (texts.Count != types.Count)
            throw new CorruptFileException($"Manifest '{path}' has {texts.Count} values where the schema has {types.Count} columns.");
        var result = new object?[texts.Count];
        for (int i = 0; i < texts.Count; i++)
            result[i] = texts[i] is null ? null : Values.Parse(texts[i]!, types[i]);
        return result;
    }

    public static ManifestEntryJson Encode(ManifestEntry e) => new(e.Kind, EncodeValues(e.Partition), e.Bucket, e.TotalBuckets, Encode(e.File));

    public static DataFileJson Encode(DataFileMeta f) => new(f.FileName, f.FileSize, f.RowCount,
        EncodeValues(f.MinKey), EncodeValues(f.MaxKey), f.MinSequence, f.MaxSequence, f.Level, f.SchemaId,
        f.ValueStats.Select(s => new ColumnStatsJson(s.FieldId, s.Min is null ? null : Values.Format(s.Min),
            s.Max is null ? null : Values.Format(s.Max), s.NullCount)).ToList(),
        f.DeleteRowCount, f.CreationTimeMillis);

    public static ManifestEntry Decode(ManifestEntryJson e, TableSchema current, Func<long, TableSchema> schemas, string path)
    {
        var partTypes = current.PartitionIndices.Select(i => current.Fields[i].Type).ToList();
        return new ManifestEntry(e.Kind, DecodeValues(e.Partition, partTypes, path), e.Bucket, e.TotalBuckets, Decode(e.File, schemas, path));
    }

    public static DataFileMeta Decode(DataFileJson f, Func<long, TableSchema> schemas, string path)
    {
        var schema = schemas(f.SchemaId);
        var keyTypes = schema.SortKeyIndices.Select(i => schema.Fields[i].Type).ToList();
        var stats = ImmutableArray.CreateBuilder<ColumnStats>(f.ValueStats.Count);
        foreach (var s in f.ValueStats)
        {
            var field = schema.Fields.FirstOrDefault(x => x.Id == s.FieldId)
                ?? throw new CorruptFileException($"Manifest '{path}' has stats for field id {s.FieldId}, which schema {schema.Id} lacks.");
            stats.Add(new ColumnStats(s.FieldId, s.Min is null ? null : Values.Parse(s.Min, field.Type),
                s.Max is null ? null : Values.Parse(s.Max, field.Type), s.NullCount));
        }
        return new DataFileMeta(f.FileName, f.FileSize, f.RowCount, DecodeValues(f.MinKey, keyTypes, path),
            DecodeValues(f.MaxKey, keyTypes, path), f.MinSequence, f.MaxSequence, f.Level, f.SchemaId,
            stats.MoveToImmutable(), f.DeleteRowCount, f.CreationTimeMillis);
    }

    public static ManifestFileMetaJson Encode(ManifestFileMeta m) => new(m.FileName, m.FileSize, m.AddedFiles, m.DeletedFiles, m.SchemaId,
        m.MinPartition is null ? null : EncodeValues(m.MinPartition), m.MaxPartition is null ? null : EncodeValues(m.MaxPartition));

    public static ManifestFileMeta Decode(ManifestFileMetaJson m, TableSchema current, string path)
    {
        var partTypes = current.PartitionIndices.Select(i => current.Fields[i].Type).ToList();
        return new ManifestFileMeta(m.FileName, m.FileSize, m.AddedFiles, m.DeletedFiles, m.SchemaId,
            m.MinPartition is null ? null : DecodeValues(m.MinPartition, partTypes, path),
            m.MaxPartition is null ? null : DecodeValues(m.MaxPartition, partTypes, path));
    }
}
