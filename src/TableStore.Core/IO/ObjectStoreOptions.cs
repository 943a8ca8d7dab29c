namespace TableStore.Core.IO;

/// <summary>
/// How a cloud warehouse (S3, Azure Blob) talks to its store: retries, timeouts, upload and read sizes, and whether
/// a missing bucket or container is created. The same for every store; endpoints and credentials are each
/// store's own and come from its standard environment variables. The server binds these from
/// <c>TableStore:ObjectStore</c> (<c>TableStore__ObjectStore__MaxRetries</c>, ...), and the CLI reads the same
/// environment variables.
/// </summary>
public sealed class ObjectStoreOptions
{
    public const string SectionName = "ObjectStore";
    public const int MinUploadPartSize = 5 << 20;

    /// <summary>Retries of a failed request (server errors, throttling, dropped connections, timeouts), with backoff.</summary>
    public int MaxRetries { get; set; } = 6;

    /// <summary>How long one attempt may take before it is abandoned and retried.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Objects larger than this are uploaded in parts (S3 multipart, Azure blocks) of this size, in parallel; at least 5 MiB (S3's smallest part).</summary>
    public int UploadPartSize { get; set; } = 16 << 20;

    /// <summary>Data files larger than this are read in ranges of this size, so a scan fetches only the columns it decodes.</summary>
    public int ReadBlockSize { get; set; } = 8 << 20;

    /// <summary>
    /// Create a missing bucket or container on first write. Null: as the store's environment variable says
    /// (<c>TABLESTORE_CREATE_BUCKET</c>, <c>TABLESTORE_CREATE_CONTAINER</c>), else yes.
    /// </summary>
    public bool? CreateMissingContainer { get; set; }

    /// <summary>Throws <see cref="InvalidInputException"/> naming the first setting that makes no sense.</summary>
    public ObjectStoreOptions Validate()
    {
        if (MaxRetries is < 0 or > 50) throw new InvalidInputException($"ObjectStore:MaxRetries must be between 0 and 50, got {MaxRetries}.");
        if (RequestTimeout <= TimeSpan.Zero || RequestTimeout > TimeSpan.FromHours(1))
            throw new InvalidInputException($"ObjectStore:RequestTimeout must be positive and at most an hour (hh:mm:ss), got {RequestTimeout}.");
        if (UploadPartSize < MinUploadPartSize) throw new InvalidInputException($"ObjectStore:UploadPartSize must be at least 5 MiB ({MinUploadPartSize} bytes, S3's smallest part), got {UploadPartSize} bytes.");
        if (ReadBlockSize < 4 << 10) throw new InvalidInputException($"ObjectStore:ReadBlockSize must be at least 4 KiB, got {ReadBlockSize} bytes.");
        return this;
    }

    /// <summary>
    /// The options from the environment variables the server also reads (<c>TableStore__ObjectStore__MaxRetries</c>,
    /// <c>TableStore__ObjectStore__RequestTimeout</c> as <c>hh:mm:ss</c>, <c>..UploadPartSize</c>, <c>..ReadBlockSize</c>
    /// in bytes, <c>..CreateMissingContainer</c>), for programs without a configuration system (the CLI).
    /// </summary>
    public static ObjectStoreOptions FromEnvironment(Func<string, string?>? lookup = null)
    {
        lookup ??= Environment.GetEnvironmentVariable;
        var options = new ObjectStoreOptions();
        string? Get(string name) => lookup($"TableStore__{SectionName}__{name}") is { Length: > 0 } v ? v.Trim() : null;
        T Parse<T>(string name, string text, Func<string, (bool, T)> parse)
        {
            var (ok, value) = parse(text);
            return ok ? value : throw new InvalidInputException($"Environment variable TableStore__{SectionName}__{name}='{text}' is not a valid {typeof(T).Name}.");
        }
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        if (Get(nameof(MaxRetries)) is { } r) options.MaxRetries = Parse(nameof(MaxRetries), r, t => (int.TryParse(t, inv, out var v), v));
        if (Get(nameof(RequestTimeout)) is { } t) options.RequestTimeout = Parse(nameof(RequestTimeout), t, x => (TimeSpan.TryParse(x, inv, out var v), v));
        if (Get(nameof(UploadPartSize)) is { } p) options.UploadPartSize = Parse(nameof(UploadPartSize), p, x => (int.TryParse(x, inv, out var v), v));
        if (Get(nameof(ReadBlockSize)) is { } b) options.ReadBlockSize = Parse(nameof(ReadBlockSize), b, x => (int.TryParse(x, inv, out var v), v));
        if (Get(nameof(CreateMissingContainer)) is { } c) options.CreateMissingContainer = Parse(nameof(CreateMissingContainer), c, x => (bool.TryParse(x, out var v), v));
        return options.Validate();
    }

    /// <summary>Whether to create a missing container: the option when set, else the variable <paramref name="variable"/> unless "false".</summary>
    public bool CreatesMissingContainer(string variable) =>
        CreateMissingContainer ?? !string.Equals(Environment.GetEnvironmentVariable(variable), "false", StringComparison.OrdinalIgnoreCase);
}
