using System.Text.Json;
using MutualAuth.Limbo;

if (args.Length != 2)
{
    Console.Error.WriteLine("usage: dotnet run --project test/MutualAuth.Limbo -- LIMBO.json RESULTS.json");
    return 2;
}

using var limbo = JsonDocument.Parse(File.ReadAllBytes(args[0]));
var results = LimboHarness.Run(limbo);
File.WriteAllText(args[1], LimboHarness.ToJson(results));
var skipped = results.Count(r => r.ActualResult == "SKIPPED");
var agreed = results.Count(r => r.Agrees);
Console.WriteLine($"{results.Count} testcases: {agreed} agree with the expected result, {results.Count - agreed - skipped} disagree, {skipped} skipped");
foreach (var result in results.Where(r => !r.Agrees && r.ActualResult != "SKIPPED"))
{
    Console.WriteLine($"  {result.Id}: expected {result.ExpectedResult}, got {result.ActualResult} ({result.Context})");
}

return 0;
