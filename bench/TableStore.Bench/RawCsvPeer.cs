using System.Globalization;
using System.Text;
using Parquet;
using Parquet.Schema;
using Sylvan.Data.Csv;

namespace TableStore.Bench;

/// <summary>
/// The whole-process peer of <c>tablestore write</c> and <c>tablestore scan --format csv</c>: the same jobs done with raw
/// Parquet.Net, for the CSV of <c>bench/make_csv.py</c> (<c>id,customer,amount,note</c>). <c>raw-write CSV OUT</c> parses
/// the CSV in batches into typed columns and writes one zstd-fastest Parquet file (row groups of 65,536 rows, no merge,
/// no sort); <c>raw-scan FILE</c> reads it back and prints CSV to stdout. Run under <c>/usr/bin/time</c> beside the CLI.
/// </summary>
internal static class RawCsvPeer
{
    private const int GroupRows = 65_536;

    private static readonly ParquetSchema Schema = new(new DataField<long>("id"), new DataField<string>("customer"),
        new DataField<double?>("amount"), new DataField<string>("note"));

    public static async Task WriteAsync(string csvPath, string parquetPath)
    {
        var fields = Schema.GetDataFields();
        var options = new ParquetOptions { CompressionMethod = CompressionMethod.Zstd, CompressionLevel = System.IO.Compression.CompressionLevel.Fastest };
        await using var output = File.Create(parquetPath);
        await using var writer = await ParquetWriter.CreateAsync(Schema, output, options);
        using var input = File.OpenText(csvPath);
        await using var csv = await CsvDataReader.CreateAsync(input, new CsvDataReaderOptions { HasHeaders = true });
        var ids = new long[GroupRows];
        var customers = new string[GroupRows];
        var amounts = new double?[GroupRows];
        var notes = new string[GroupRows];
        int n = 0;
        long total = 0;
        async Task FlushAsync()
        {
            using var rg = writer.CreateRowGroup();
            await rg.WriteAsync<long>(fields[0], ids.AsMemory(0, n));
            await rg.WriteAsync(fields[1], new ArraySegment<string>(customers, 0, n));
            await rg.WriteAsync<double>(fields[2], amounts.AsMemory(0, n));
            await rg.WriteAsync(fields[3], new ArraySegment<string>(notes, 0, n));
            total += n;
            n = 0;
        }
        while (await csv.ReadAsync())
        {
            ids[n] = long.Parse(csv.GetString(0), CultureInfo.InvariantCulture);
            customers[n] = csv.GetString(1);
            amounts[n] = csv.IsDBNull(2) ? null : double.Parse(csv.GetString(2), CultureInfo.InvariantCulture);
            notes[n] = csv.GetString(3);
            if (++n == GroupRows) await FlushAsync();
        }
        if (n > 0) await FlushAsync();
        Console.Error.WriteLine($"raw-write: {total:N0} rows");
    }

    public static async Task ScanAsync(string parquetPath)
    {
        await using var stdout = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false), 1 << 16);
        await using var input = File.OpenRead(parquetPath);
        await using var reader = await ParquetReader.CreateAsync(input);
        var fields = reader.Schema.GetDataFields();
        var scratch = new char[64];
        stdout.WriteLine("id,customer,amount,note");
        for (int g = 0; g < reader.RowGroupCount; g++)
        {
            using var rg = reader.OpenRowGroupReader(g);
            int rows = checked((int)rg.RowCount);
            var ids = new long[rows];
            var customers = new string[rows];
            var amounts = new double?[rows];
            var notes = new string[rows];
            await rg.ReadAsync<long>(fields[0], ids);
            await rg.ReadAsync(fields[1], customers.AsMemory()!);
            await rg.ReadAsync<double>(fields[2], amounts);
            await rg.ReadAsync(fields[3], notes.AsMemory()!);
            for (int i = 0; i < rows; i++)
            {
                ids[i].TryFormat(scratch, out int w, default, CultureInfo.InvariantCulture);
                stdout.Write(scratch, 0, w);
                stdout.Write(',');
                Field(stdout, customers[i]);
                stdout.Write(',');
                if (amounts[i] is { } a)
                {
                    a.TryFormat(scratch, out w, "R", CultureInfo.InvariantCulture);
                    stdout.Write(scratch, 0, w);
                }
                stdout.Write(',');
                Field(stdout, notes[i]);
                stdout.WriteLine();
            }
        }
    }

    private static void Field(TextWriter w, string? s)
    {
        if (s is null) return;
        if (s.AsSpan().IndexOfAny(",\"\r\n") < 0 && (s.Length == 0 || s[0] != ' ' && s[^1] != ' ' && s[0] != '#')) w.Write(s);
        else w.Write('"' + s.Replace("\"", "\"\"", StringComparison.Ordinal) + '"');
    }
}
