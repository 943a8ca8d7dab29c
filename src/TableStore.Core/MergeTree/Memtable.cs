using System.Buffers;
using Parquet;
using TableStore.Core.Data;
using TableStore.Core.Format;
using TableStore.Core.Manifest;
using TableStore.Core.Schema;
using PDataField = Parquet.Schema.DataField;

namespace TableStore.Core.MergeTree;

/// <summary>
/// The rows a bucket writer holds until a flush, column by column: a typed array per column instead of a boxed array
/// per row, so a memtable of millions of rows is a few dozen objects (and the strings themselves) to the garbage
/// collector, and runs are encoded straight from its columns. A compaction uses one, with strings kept as strings, as
/// the row group of merged rows it is about to encode. Arrays are pooled and returned on <see cref="Dispose"/>.
/// </summary>
internal sealed class Memtable : IDisposable
{
    private const int InitialCapacity = 1024;

    private readonly TableSchema _schema;
    private readonly Column[] _columns;
    private long[] _sequences;
    private byte[] _kinds;
    private int _capacity = InitialCapacity; // every array holds at least this many rows

    /// <param name="stringsAsUtf8">Keep non-key strings as UTF-8 (a memtable that lives long); false for a short-lived
    /// buffer of rows on their way to the encoder (a compaction's row group), where strings are worth keeping as they are.</param>
    public Memtable(TableSchema schema, bool stringsAsUtf8 = true)
    {
        _schema = schema;
        // Key strings stay strings (sorting compares them as the engine does, by UTF-16 ordinal); other strings are
        // kept as UTF-8 bytes in large chunks, so that millions of them are not millions of objects.
        _columns = schema.Fields.Select((f, i) => stringsAsUtf8 && f.Type.Kind == DataTypeKind.String && !schema.KeyIndices.Contains(i)
            ? new Utf8Column() : Column.For(f.Type.Kind)).ToArray();
        _sequences = ArrayPool<long>.Shared.Rent(InitialCapacity);
        _kinds = ArrayPool<byte>.Shared.Rent(InitialCapacity);
    }

    public int Count { get; private set; }

    /// <summary>Adds a validated row (values of the engine's CLR types in schema order); the array is not kept.</summary>
    public void Add(RowKind kind, object?[] row, long sequence)
    {
        EnsureRoom();
        _sequences[Count] = sequence;
        _kinds[Count] = (byte)kind;
        for (int f = 0; f < _columns.Length; f++) _columns[f].Set(Count, row[f]);
        Count++;
    }

    /// <summary>Adds row <paramref name="row"/> of a decoded batch (all columns read), copying typed values unboxed.</summary>
    public void Add(Format.ColumnBatch batch, int row)
    {
        EnsureRoom();
        _sequences[Count] = batch.Sequences[row];
        _kinds[Count] = batch.Kinds[row];
        for (int f = 0; f < _columns.Length; f++) _columns[f].CopyFrom(batch.Columns[f], row, Count);
        Count++;
    }

    /// <summary>Forgets the rows, keeping the arrays for the next ones.</summary>
    public void Clear() => Count = 0;

    public long Sequence(int i) => _sequences[i];

    public RowKind Kind(int i) => (RowKind)_kinds[i];

    /// <summary>The characters and bytes of row <paramref name="i"/>'s strings and byte arrays (for size estimates).</summary>
    public long VariableLength(int i)
    {
        long n = 0;
        foreach (var c in _columns) n += c.Length(i);
        return n;
    }

    /// <summary>Writes field <paramref name="field"/> of the rows at <paramref name="rows"/> into a row group, typed, unboxed.</summary>
    public Task<ColumnStats> WriteColumnAsync(int field, ParquetRowGroupWriter rg, PDataField pf, ReadOnlyMemory<int> rows, CancellationToken ct) =>
        _columns[field].WriteAsync(rg, pf, _schema.Fields[field], rows, ct);

    private void EnsureRoom()
    {
        if (Count < _capacity) return;
        _capacity *= 2;
        Grow(ref _sequences, _capacity, Count, clear: false);
        Grow(ref _kinds, _capacity, Count, clear: false);
        foreach (var c in _columns) c.Grow(_capacity, Count);
    }

    /// <summary>Row <paramref name="i"/> as a version, its values boxed anew.</summary>
    public KeyValue Version(int i)
    {
        var row = new object?[_columns.Length];
        for (int f = 0; f < row.Length; f++) row[f] = _columns[f].Get(i);
        return new KeyValue(row, _sequences[i], (RowKind)_kinds[i]);
    }

    /// <summary>
    /// The rows' positions sorted by (key, sequence), and per sorted position whether its key equals the previous one.
    /// Single BIGINT, INT and STRING keys sort on their typed column; other keys on boxed key tuples. Sequence numbers
    /// are unique, so (key, sequence) is a total order and the sort needs no stability.
    /// </summary>
    public int[] SortByKey(out bool[] sameKeyAsPrevious)
    {
        int n = Count;
        var order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        var keys = _schema.KeyIndices;
        switch (keys.Length == 1 ? _columns[keys[0]] : null)
        {
            case StructColumn<long> c: return SortBy(order, i => new LongKey(c.Values[i], _sequences[i]), (a, b) => a.Key == b.Key, out sameKeyAsPrevious);
            case StructColumn<int> c: return SortBy(order, i => new LongKey(c.Values[i], _sequences[i]), (a, b) => a.Key == b.Key, out sameKeyAsPrevious);
            case RefColumn<string> c: return SortBy(order, i => new StringKey(c.Values[i]!, _sequences[i]), (a, b) => string.Equals(a.Key, b.Key, StringComparison.Ordinal), out sameKeyAsPrevious);
        }
        var tuples = new object?[n][];
        for (int i = 0; i < n; i++)
        {
            tuples[i] = new object?[keys.Length];
            for (int k = 0; k < keys.Length; k++) tuples[i][k] = _columns[keys[k]].Get(i);
        }
        Array.Sort(order, (a, b) =>
        {
            int c = CompareTuples(tuples[a], tuples[b]);
            return c != 0 ? c : _sequences[a].CompareTo(_sequences[b]);
        });
        sameKeyAsPrevious = new bool[n];
        for (int i = 1; i < n; i++) sameKeyAsPrevious[i] = CompareTuples(tuples[order[i]], tuples[order[i - 1]]) == 0;
        return order;
    }

    private static int CompareTuples(object?[] a, object?[] b)
    {
        for (int k = 0; k < a.Length; k++)
        {
            int c = Values.CompareNullable(a[k], b[k]);
            if (c != 0) return c;
        }
        return 0;
    }

    private static int[] SortBy<TKey>(int[] order, Func<int, TKey> key, Func<TKey, TKey, bool> sameKey, out bool[] sameKeyAsPrevious) where TKey : IComparable<TKey>
    {
        int n = order.Length;
        var keys = ArrayPool<TKey>.Shared.Rent(n);
        try
        {
            for (int i = 0; i < n; i++) keys[i] = key(i);
            keys.AsSpan(0, n).Sort(order.AsSpan());
            sameKeyAsPrevious = new bool[n];
            for (int i = 1; i < n; i++) sameKeyAsPrevious[i] = sameKey(keys[i], keys[i - 1]);
            return order;
        }
        finally { ArrayPool<TKey>.Shared.Return(keys, clearArray: System.Runtime.CompilerServices.RuntimeHelpers.IsReferenceOrContainsReferences<TKey>()); }
    }

    public void Dispose()
    {
        if (_capacity == 0) return; // released already: a second return would hand an array to two users
        ArrayPool<long>.Shared.Return(_sequences);
        ArrayPool<byte>.Shared.Return(_kinds);
        _sequences = [];
        _kinds = [];
        _capacity = 0;
        foreach (var c in _columns) c.Release();
        Count = 0;
    }

    private static void Grow<T>(ref T[] array, int size, int used, bool clear)
    {
        var bigger = ArrayPool<T>.Shared.Rent(size);
        Array.Copy(array, bigger, used);
        ArrayPool<T>.Shared.Return(array, clear);
        array = bigger;
    }

    private readonly record struct LongKey(long Key, long Sequence) : IComparable<LongKey>
    {
        public int CompareTo(LongKey other)
        {
            int c = Key.CompareTo(other.Key);
            return c != 0 ? c : Sequence.CompareTo(other.Sequence);
        }
    }

    private readonly record struct StringKey(string Key, long Sequence) : IComparable<StringKey>
    {
        public int CompareTo(StringKey other)
        {
            int c = string.CompareOrdinal(Key, other.Key);
            return c != 0 ? c : Sequence.CompareTo(other.Sequence);
        }
    }

    private abstract class Column
    {
        public abstract void Set(int i, object? value);
        public abstract object? Get(int i);

        /// <summary>Copies row <paramref name="row"/> of a decoded column (null: a column the file does not have) to row <paramref name="i"/>.</summary>
        public virtual void CopyFrom(Format.ColumnVector? source, int row, int i) => Set(i, source?.Get(row));
        public abstract void Grow(int size, int used);
        public abstract void Release();
        public virtual long Length(int i) => 0;
        public abstract Task<ColumnStats> WriteAsync(ParquetRowGroupWriter rg, PDataField pf, DataField f, ReadOnlyMemory<int> rows, CancellationToken ct);

        public static Column For(DataTypeKind kind) => kind switch
        {
            DataTypeKind.Boolean => new StructColumn<bool>(),
            DataTypeKind.Int => new StructColumn<int>(),
            DataTypeKind.BigInt => new StructColumn<long>(),
            DataTypeKind.Float => new StructColumn<float>(),
            DataTypeKind.Double => new StructColumn<double>(),
            DataTypeKind.Decimal => new StructColumn<decimal>(),
            DataTypeKind.Date => new StructColumn<DateOnly>(),
            DataTypeKind.Timestamp => new StructColumn<DateTime>(),
            DataTypeKind.String => new RefColumn<string>(),
            DataTypeKind.Bytes => new RefColumn<byte[]>(),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
    }

    /// <summary>A value-type column: the values, and a null flag per row.</summary>
    private sealed class StructColumn<T> : Column where T : struct, IComparable<T>
    {
        public T[] Values = ArrayPool<T>.Shared.Rent(InitialCapacity);
        private bool[] _nulls = ArrayPool<bool>.Shared.Rent(InitialCapacity);

        public override void Set(int i, object? value)
        {
            if (value is T t)
            {
                Values[i] = t;
                _nulls[i] = false;
            }
            else
            {
                Values[i] = default;
                _nulls[i] = true;
            }
        }

        public override object? Get(int i) => _nulls[i] ? null : Values[i];

        public override void CopyFrom(Format.ColumnVector? source, int row, int i)
        {
            switch (source)
            {
                case Format.ValueVector<T> v:
                    Values[i] = v.Values[row];
                    _nulls[i] = false;
                    break;
                case Format.NullableVector<T> v:
                    Values[i] = v.Values[row].GetValueOrDefault();
                    _nulls[i] = !v.Values[row].HasValue;
                    break;
                default:
                    base.CopyFrom(source, row, i);
                    break;
            }
        }

        public override Task<ColumnStats> WriteAsync(ParquetRowGroupWriter rg, PDataField pf, DataField f, ReadOnlyMemory<int> rows, CancellationToken ct) =>
            ColumnWriter.WriteGatheredAsync(rg, pf, f, Values, _nulls, rows, ct);

        public override void Grow(int size, int used)
        {
            Memtable.Grow(ref Values, size, used, clear: false);
            Memtable.Grow(ref _nulls, size, used, clear: false);
        }

        public override void Release()
        {
            ArrayPool<T>.Shared.Return(Values);
            ArrayPool<bool>.Shared.Return(_nulls);
            Values = [];
            _nulls = [];
        }
    }

    /// <summary>
    /// A column of strings held as UTF-8 in 1 MiB chunks (a longer value gets a chunk of its own): per row a chunk, an
    /// offset and a length (-1: null). Strings are made again when read, short-lived, a row group at a time.
    /// </summary>
    private sealed class Utf8Column : Column
    {
        private const int ChunkSize = 1 << 20;
        private static readonly System.Text.UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

        private readonly List<byte[]> _chunks = [];
        private int _used; // bytes of the last chunk in use
        private int[] _chunk = ArrayPool<int>.Shared.Rent(InitialCapacity);
        private int[] _offset = ArrayPool<int>.Shared.Rent(InitialCapacity);
        private int[] _length = ArrayPool<int>.Shared.Rent(InitialCapacity);
        private bool[] _ascii = ArrayPool<bool>.Shared.Rent(InitialCapacity);

        public override void Set(int i, object? value)
        {
            if (value is not string s)
            {
                _length[i] = -1;
                return;
            }
            int n = Utf8.GetByteCount(s);
            _ascii[i] = n == s.Length; // one byte per character: ASCII, which reads back without validation
            if (_chunks.Count == 0 || _used + n > ChunkSize)
            {
                _chunks.Add(ArrayPool<byte>.Shared.Rent(Math.Max(ChunkSize, n)));
                _used = 0;
            }
            var chunk = _chunks[^1];
            Utf8.GetBytes(s, chunk.AsSpan(_used));
            (_chunk[i], _offset[i], _length[i]) = (_chunks.Count - 1, _used, n);
            // A value longer than a chunk filled its own: the next one opens another.
            _used = n > ChunkSize ? ChunkSize : _used + n;
        }

        public override object? Get(int i) =>
            _length[i] < 0 ? null
            : _ascii[i] ? System.Text.Encoding.Latin1.GetString(_chunks[_chunk[i]], _offset[i], _length[i])
            : Utf8.GetString(_chunks[_chunk[i]], _offset[i], _length[i]);

        public override long Length(int i) => Math.Max(0, _length[i]);

        public override async Task<ColumnStats> WriteAsync(ParquetRowGroupWriter rg, PDataField pf, DataField f, ReadOnlyMemory<int> rows, CancellationToken ct)
        {
            var strings = new string?[rows.Length];
            var positions = new int[rows.Length];
            for (int i = 0; i < strings.Length; i++)
            {
                strings[i] = (string?)Get(rows.Span[i]);
                positions[i] = i;
            }
            return await ColumnWriter.WriteGatheredAsync(rg, pf, f, strings, positions, ct).ConfigureAwait(false);
        }

        public override void Grow(int size, int used)
        {
            Memtable.Grow(ref _chunk, size, used, clear: false);
            Memtable.Grow(ref _offset, size, used, clear: false);
            Memtable.Grow(ref _length, size, used, clear: false);
            Memtable.Grow(ref _ascii, size, used, clear: false);
        }

        public override void Release()
        {
            foreach (var c in _chunks) ArrayPool<byte>.Shared.Return(c);
            _chunks.Clear();
            ArrayPool<int>.Shared.Return(_chunk);
            ArrayPool<int>.Shared.Return(_offset);
            ArrayPool<int>.Shared.Return(_length);
            ArrayPool<bool>.Shared.Return(_ascii);
            (_chunk, _offset, _length, _ascii) = ([], [], [], []);
        }
    }

    /// <summary>A column of strings or byte arrays, null where the value is null.</summary>
    private sealed class RefColumn<T> : Column where T : class
    {
        public T?[] Values = ArrayPool<T?>.Shared.Rent(InitialCapacity);

        public override void Set(int i, object? value) => Values[i] = (T?)value;

        public override void CopyFrom(Format.ColumnVector? source, int row, int i) =>
            Values[i] = source is Format.RefVector<T> v ? v.Values[row] : (T?)source?.Get(row);
        public override object? Get(int i) => Values[i];
        public override long Length(int i) => Values[i] switch { string s => s.Length, byte[] b => b.Length, _ => 0 };

        public override Task<ColumnStats> WriteAsync(ParquetRowGroupWriter rg, PDataField pf, DataField f, ReadOnlyMemory<int> rows, CancellationToken ct) => Values switch
        {
            string?[] strings => ColumnWriter.WriteGatheredAsync(rg, pf, f, strings, rows, ct),
            byte[]?[] bytes => ColumnWriter.WriteGatheredAsync(rg, pf, f, bytes, rows, ct),
            _ => throw new InvalidOperationException($"No writer for a column of {typeof(T).Name}."),
        };
        public override void Grow(int size, int used) => Memtable.Grow(ref Values, size, used, clear: true);

        public override void Release()
        {
            ArrayPool<T?>.Shared.Return(Values, clearArray: true);
            Values = [];
        }
    }
}
