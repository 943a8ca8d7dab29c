using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using DuckDB.NET.Data;
using RocksDbSharp;
using Sylvan.Data.Csv;

namespace TableStore.Bench;

/// <summary>
/// The other engines doing the whole-process jobs of <c>tablestore write</c> (an upsert of a
/// <c>bench/make_csv.py</c> file, last row of a key wins) and <c>tablestore scan --format csv</c>, run under
/// <c>/usr/bin/time</c> beside the CLI and <see cref="RawCsvPeer"/>:
/// <c>duckdb-write CSV DB</c> / <c>duckdb-scan DB</c>: a keyed DuckDB table on disk, filled with
/// <c>INSERT OR REPLACE</c> (rows deduplicated by input order first: DuckDB refuses a key twice in one statement),
/// read back with <c>COPY … TO</c> CSV on stdout;
/// <c>rocksdb-write CSV DIR</c> / <c>rocksdb-scan DIR</c>: a RocksDB put per row (key = the id big-endian, value = the
/// other fields as CSV text) in write batches of 8,192, then an iteration printing CSV.
/// </summary>
internal static class PeerEngines
{
    public static void DuckDbWrite(string csvPath, string dbPath)
    {
        using var connection = new DuckDBConnection($"Data Source={dbPath}");
        connection.Open();
        Execute(connection, "CREATE TABLE IF NOT EXISTS t (id BIGINT PRIMARY KEY, customer VARCHAR, amount DOUBLE, note VARCHAR)");
        var file = csvPath.Replace("'", "''", StringComparison.Ordinal);
        Execute(connection, $$"""
            INSERT OR REPLACE INTO t
            SELECT id, customer, amount, note FROM (
                SELECT *, row_number() OVER () AS arrival
                FROM read_csv('{{file}}', header = true, columns = {'id': 'BIGINT', 'customer': 'VARCHAR', 'amount': 'DOUBLE', 'note': 'VARCHAR'}))
            QUALIFY row_number() OVER (PARTITION BY id ORDER BY arrival DESC) = 1
            """);
        Execute(connection, "CHECKPOINT");
    }

    public static void DuckDbScan(string dbPath)
    {
        using var connection = new DuckDBConnection($"Data Source={dbPath}");
        connection.Open();
        Execute(connection, "COPY t TO '/dev/stdout' (HEADER, DELIMITER ',')");
    }

    public static void RocksDbWrite(string csvPath, string dir)
    {
        using var db = RocksDb.Open(new DbOptions().SetCreateIfMissing(true), dir);
        using var input = File.OpenText(csvPath);
        using var csv = CsvDataReader.Create(input, new CsvDataReaderOptions { HasHeaders = true });
        var key = new byte[8];
        var batch = new WriteBatch();
        var value = new StringBuilder();
        int n = 0;
        while (csv.Read())
        {
            BinaryPrimitives.WriteInt64BigEndian(key, long.Parse(csv.GetString(0), CultureInfo.InvariantCulture) ^ long.MinValue);
            value.Clear().Append(csv.GetString(1)).Append(',').Append(csv.GetString(2)).Append(',').Append(csv.GetString(3));
            batch.Put(key, Encoding.UTF8.GetBytes(value.ToString()));
            if (++n % 8192 != 0) continue;
            db.Write(batch);
            batch.Dispose();
            batch = new WriteBatch();
        }
        db.Write(batch);
        batch.Dispose();
        db.Flush(new FlushOptions().SetWaitForFlush(true));
    }

    public static void RocksDbScan(string dir)
    {
        using var db = RocksDb.Open(new DbOptions(), dir);
        using var stdout = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false), 1 << 16);
        stdout.WriteLine("id,customer,amount,note");
        using var iterator = db.NewIterator();
        for (iterator.SeekToFirst(); iterator.Valid(); iterator.Next())
        {
            stdout.Write((BinaryPrimitives.ReadInt64BigEndian(iterator.Key()) ^ long.MinValue).ToString(CultureInfo.InvariantCulture));
            stdout.Write(',');
            stdout.WriteLine(Encoding.UTF8.GetString(iterator.Value()));
        }
    }

    private static void Execute(DuckDBConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
