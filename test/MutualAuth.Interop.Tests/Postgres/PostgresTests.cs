namespace MutualAuth.Interop.Tests.Postgres;

/// <summary>The tests that share one throwaway PostgreSQL cluster.</summary>
[CollectionDefinition(Name)]
public sealed class PostgresTests : ICollectionFixture<PostgresServer>
{
    public const string Name = "postgres";
}
