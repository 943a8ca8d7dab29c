namespace TableStore.Abstractions;

/// <summary>
/// Point lookups in one bucket (key: <see cref="GrainKeys.Bucket"/>), with decoded files, key ranges and bloom
/// filters cached on its silo.
/// </summary>
[Alias("TableStore.ILookupGrain")]
public interface ILookupGrain : IGrainWithStringKey
{
    [Alias("Lookup")] Task<Core.Api.LookupOutcome> LookupAsync(LookupRequest request);
}
