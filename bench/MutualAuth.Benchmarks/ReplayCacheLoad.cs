using System.Diagnostics;
using System.Globalization;
using MutualAuth.Storage;
using MutualAuth.Storage.Sqlite;

namespace MutualAuth.Benchmarks;

/// <summary>
/// <c>replay-cache [--values N] [--rounds R]</c> (issue 17): the replay cache alone, in this process, without HTTP:
/// N new values added by 4 concurrent tasks to the write-behind cache (then flushed, so its background writer's work
/// is counted) and to the synchronous SQLite cache, alternating for R rounds, each on a fresh database file. Prints the
/// process CPU time and the wall time per value.
/// </summary>
internal static class ReplayCacheLoad
{
    public const string Command = "replay-cache";
    private const int Tasks = 4;

    public static async Task<int> Run(string[] args)
    {
        var values = LoadHarness.Option(args, "--values", 20_000);
        var rounds = LoadHarness.Option(args, "--rounds", 3);
        var root = Directory.CreateTempSubdirectory("mutualauth-bench-replay-").FullName;
        try
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"replay-cache: {values:N0} new values per figure from {Tasks} concurrent tasks, {rounds} rounds, SQLite WAL with synchronous=NORMAL"));
            Console.WriteLine();
            Console.WriteLine("| round | cache | CPU µs per value | wall µs per value | load average |");
            Console.WriteLine("|---:|---|---:|---:|---|");
            for (var round = 1; round <= rounds; round++)
            {
                foreach (var writeBehind in new[] { true, false })
                {
                    var database = new SqliteDatabase(Path.Combine(root, $"r{round.ToString(CultureInfo.InvariantCulture)}-{writeBehind}.db"));
                    var cache = writeBehind ? (IReplayCache)new SqliteWriteBehindReplayCache(database, TimeProvider.System) : new SqliteReplayCache(database);
                    var (cpu, wall) = await Measure(cache, values);
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"| {round} | {(writeBehind ? "in memory, written behind" : "synchronous SQLite insert (--replay-sync)")} | {cpu:0.0} | {wall:0.0} | {NodeLoad.LoadAverage()} |"));
                }
            }

            return 0;
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static async Task<(double Cpu, double Wall)> Measure(IReplayCache cache, int values)
    {
        var now = DateTimeOffset.UtcNow;
        var self = Process.GetCurrentProcess();
        self.Refresh();
        var cpuBefore = self.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Tasks).Select(t => Task.Run(async () =>
        {
            for (var i = t; i < values; i += Tasks)
            {
                if (!await cache.TryAddAsync("bench-key", "nonce-" + i.ToString(CultureInfo.InvariantCulture), now.AddMinutes(5), now))
                {
                    throw new InvalidOperationException("a new value was refused");
                }
            }
        })));
        if (cache is SqliteWriteBehindReplayCache writeBehind)
        {
            // Counted: the writer's batches up to the last value (what the process spends in all).
            await writeBehind.DisposeAsync();
        }

        var wall = clock.Elapsed.TotalMilliseconds * 1000 / values;
        self.Refresh();
        return ((self.TotalProcessorTime - cpuBefore).TotalMilliseconds * 1000 / values, wall);
    }
}
