using Azure.Core;
using Azure.Identity;
using Azure.Storage.Blobs;
using TableStore.Core;
using TableStore.Core.IO;

namespace TableStore.ObjectStores.Azure;

/// <summary>
/// Opens <c>az://&lt;account&gt;/&lt;container&gt;/prefix</c> warehouses: with <c>AZURE_STORAGE_CONNECTION_STRING</c> when it is
/// set (Azurite: <c>UseDevelopmentStorage=true</c>), else with <see cref="DefaultAzureCredential"/> (managed identity,
/// environment, Azure CLI) against <c>https://&lt;account&gt;.blob.core.windows.net</c>.
/// </summary>
public static class AzureWarehouse
{
    public const string Scheme = "az";
    public const string ConnectionStringVariable = "AZURE_STORAGE_CONNECTION_STRING";
    public const string CreateContainerVariable = "TABLESTORE_CREATE_CONTAINER";

    /// <summary>What the environment should not decide (tests, tools).</summary>
    /// <param name="ConnectionString">Null: <c>AZURE_STORAGE_CONNECTION_STRING</c>, else <c>DefaultAzureCredential</c>.</param>
    /// <param name="Store">Retries, timeouts, block and read sizes, container creation; null: the defaults.</param>
    public sealed record Settings(string? ConnectionString = null, ObjectStoreOptions? Store = null);

    public static AzureBlobObjectStore Open(string uri, Settings? settings = null)
    {
        var (account, container, prefix) = Parse(uri);
        settings ??= new Settings();
        var store = (settings.Store ?? new ObjectStoreOptions()).Validate();
        var connectionString = settings.ConnectionString ?? Environment.GetEnvironmentVariable(ConnectionStringVariable);
        var options = new BlobClientOptions();
        options.Retry.Mode = RetryMode.Exponential;
        options.Retry.MaxRetries = store.MaxRetries;
        options.Retry.Delay = TimeSpan.FromMilliseconds(200);
        options.Retry.MaxDelay = TimeSpan.FromSeconds(10);
        options.Retry.NetworkTimeout = store.RequestTimeout;
        var service = string.IsNullOrWhiteSpace(connectionString)
            ? new BlobServiceClient(new Uri($"https://{account}.blob.core.windows.net"), new DefaultAzureCredential(), options)
            : new BlobServiceClient(connectionString, options);
        if (!string.IsNullOrWhiteSpace(connectionString) && !string.Equals(service.AccountName, account, StringComparison.OrdinalIgnoreCase))
            throw new InvalidInputException($"Warehouse '{uri}' names storage account '{account}', but {ConnectionStringVariable} is for '{service.AccountName}'.");
        return new AzureBlobObjectStore(service.GetBlobContainerClient(container), prefix, store.CreatesMissingContainer(CreateContainerVariable), store.MaxRetries, store.UploadPartSize, store.ReadBlockSize);
    }

    public static (string Account, string Container, string Prefix) Parse(string uri)
    {
        const string head = Scheme + "://";
        if (!uri.StartsWith(head, StringComparison.OrdinalIgnoreCase))
            throw new InvalidInputException($"'{uri}' is not an Azure warehouse URI: expected az://<account>/<container>[/prefix].");
        var parts = uri[head.Length..].Split('/', 3);
        if (parts.Length < 2 || parts[0].Length == 0 || parts[1].Length == 0)
            throw new InvalidInputException($"Invalid Azure warehouse URI '{uri}': expected az://<account>/<container>[/prefix].");
        if (!System.Text.RegularExpressions.Regex.IsMatch(parts[1], "^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$"))
            throw new InvalidInputException($"Invalid container name '{parts[1]}' in '{uri}': 3 to 63 lower-case letters, digits and single hyphens.");
        var prefix = parts.Length > 2 ? parts[2].Trim('/') : "";
        if (prefix.Length > 0) ObjectPaths.Validate(prefix);
        return (parts[0], parts[1], prefix);
    }
}
