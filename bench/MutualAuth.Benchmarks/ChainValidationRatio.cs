using System.Globalization;
using System.Runtime.InteropServices;

namespace MutualAuth.Benchmarks;

/// <summary>
/// <c>chain-ratio</c>: <see cref="ChainValidationBenchmarks"/>' uncached validation against its bare
/// <c>X509Chain.Build</c> baseline in one process, in short alternating batches, so both see the same machine load;
/// prints the ratio of the medians of the per-batch times and the allocations per call. Times are the thread's CPU
/// time (CLOCK_THREAD_CPUTIME_ID), which other processes on a loaded machine do not inflate.
/// </summary>
internal static partial class ChainValidationRatio
{
    private const int ClockThreadCpuTime = 3;

    public const string Command = "chain-ratio";

    public static int Run(string[] args)
    {
        var rounds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 200;
        var batch = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 20;
        var bench = new ChainValidationBenchmarks();
        bench.Setup();
        try
        {
            // Warm-up: let tiered JIT settle on both paths.
            for (var i = 0; i < 2000; i++)
            {
                bench.BareChainBuild();
                bench.Validate();
            }

            var bare = new List<double>(rounds);
            var ours = new List<double>(rounds);
            var ratios = new List<double>(rounds);
            for (var r = 0; r < rounds; r++)
            {
                // Alternate which goes first so neither always follows the other.
                double a, b;
                if (r % 2 == 0)
                {
                    a = Time(bench.BareChainBuild, batch);
                    b = Time(bench.Validate, batch);
                }
                else
                {
                    b = Time(bench.Validate, batch);
                    a = Time(bench.BareChainBuild, batch);
                }

                bare.Add(a);
                ours.Add(b);
                ratios.Add(b / a);
            }

            var bareAlloc = Allocated(bench.BareChainBuild);
            var oursAlloc = Allocated(bench.Validate);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"rounds {rounds} x {batch} calls; median per call: X509Chain.Build {Median(bare):F1} us, ChainValidator {Median(ours):F1} us; " +
                $"ratio of medians {Median(ours) / Median(bare):F3}, median of per-round ratios {Median(ratios):F3} (quartiles {Quantile(ratios, 0.25):F3}-{Quantile(ratios, 0.75):F3}); " +
                $"allocated per call {bareAlloc} B / {oursAlloc} B; load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}"));
            return 0;
        }
        finally
        {
            bench.Cleanup();
        }
    }

    private static double Time(Func<bool> action, int calls)
    {
        var start = ThreadCpuNanoseconds();
        for (var i = 0; i < calls; i++)
        {
            if (!action())
            {
                throw new InvalidOperationException("The benchmark chain did not validate.");
            }
        }

        return (ThreadCpuNanoseconds() - start) / 1000.0 / calls;
    }

    private static long Allocated(Func<bool> action)
    {
        const int calls = 200;
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < calls; i++)
        {
            action();
        }

        return (GC.GetAllocatedBytesForCurrentThread() - before) / calls;
    }

    private static long ThreadCpuNanoseconds()
    {
        if (ClockGetTime(ClockThreadCpuTime, out var time) != 0)
        {
            throw new InvalidOperationException("clock_gettime(CLOCK_THREAD_CPUTIME_ID) failed.");
        }

        return (time.Seconds * 1_000_000_000L) + time.Nanoseconds;
    }

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGetTime(int clock, out TimeSpec time);

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    private static double Median(List<double> values) => Quantile(values, 0.5);

    private static double Quantile(List<double> values, double q)
    {
        var sorted = values.Order().ToList();
        return sorted[(int)Math.Round(q * (sorted.Count - 1))];
    }
}
