using TableStore.Core.IO;
using TableStore.ObjectStores.S3;

namespace TableStore.Core.Tests;

public sealed class ObjectStoreOptionsTests
{
    private static Func<string, string?> Env(params (string Key, string Value)[] vars) =>
        name => vars.FirstOrDefault(v => v.Key == name).Value;

    [Fact]
    public void The_environment_sets_what_the_server_configuration_sets()
    {
        var options = ObjectStoreOptions.FromEnvironment(Env(
            ("TableStore__ObjectStore__MaxRetries", "10"),
            ("TableStore__ObjectStore__RequestTimeout", "00:00:30"),
            ("TableStore__ObjectStore__UploadPartSize", "8388608"),
            ("TableStore__ObjectStore__ReadBlockSize", "1048576"),
            ("TableStore__ObjectStore__CreateMissingContainer", "false")));
        Assert.Equal((10, TimeSpan.FromSeconds(30), 8 << 20, 1 << 20, false),
            (options.MaxRetries, options.RequestTimeout, options.UploadPartSize, options.ReadBlockSize, options.CreateMissingContainer));
        var defaults = ObjectStoreOptions.FromEnvironment(Env());
        Assert.Equal((6, 16 << 20, (bool?)null), (defaults.MaxRetries, defaults.UploadPartSize, defaults.CreateMissingContainer));
    }

    [Fact]
    public void Bad_values_name_the_setting()
    {
        var notNumber = Assert.Throws<InvalidInputException>(() => ObjectStoreOptions.FromEnvironment(Env(("TableStore__ObjectStore__MaxRetries", "many"))));
        Assert.Contains("TableStore__ObjectStore__MaxRetries='many'", notNumber.Message);
        var negative = Assert.Throws<InvalidInputException>(() => ObjectStoreOptions.FromEnvironment(Env(("TableStore__ObjectStore__MaxRetries", "-1"))));
        Assert.Contains("MaxRetries must be between 0 and 50", negative.Message);
        Assert.Contains("RequestTimeout", Assert.Throws<InvalidInputException>(() => new ObjectStoreOptions { RequestTimeout = TimeSpan.Zero }.Validate()).Message);
        Assert.Contains("at most an hour", Assert.Throws<InvalidInputException>(() => new ObjectStoreOptions { RequestTimeout = TimeSpan.FromDays(60) }.Validate()).Message);
        // S3 refuses parts below 5 MiB; say so before the first upload fails.
        var small = Assert.Throws<InvalidInputException>(() => S3Warehouse.Open("s3://bucket/wh", new S3Warehouse.Settings("http://127.0.0.1:1", "us-east-1", "k", "s", new ObjectStoreOptions { UploadPartSize = 1 << 20 })));
        Assert.Contains("5 MiB", small.Message);
    }
}
