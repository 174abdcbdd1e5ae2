using System.Text.Json;
using MutualAuth.Limbo;

if (args.Length != 2)
{
    Console.Error.WriteLine("usage: dotnet run --project test/MutualAuth.Limbo -- LIMBO.json RESULTS.json");
    return 2;
}

using var limbo = JsonDocument.Parse(File.ReadAllBytes(args[0]));
var exceptions = LimboExceptions.Load(Path.Combine(AppContext.BaseDirectory, "exceptions.txt"));
var results = LimboHarness.Run(limbo);
File.WriteAllText(args[1], LimboHarness.ToJson(results));
var skipped = results.Where(r => r.ActualResult == "SKIPPED").ToList();
var disagreements = results.Where(r => !r.Agrees && r.ActualResult != "SKIPPED").ToList();
var unexpected = disagreements.Where(r => !exceptions.ContainsKey(r.Id)).ToList();
Console.WriteLine($"{results.Count} testcases: {results.Count(r => r.Agrees)} agree with the expected result, {disagreements.Count} disagree "
    + $"({disagreements.Count - unexpected.Count} listed in exceptions.txt), {skipped.Count} skipped");
foreach (var group in results.GroupBy(r => r.Id.Split("::")[0]))
{
    Console.WriteLine($"  {group.Key}: {group.Count(r => r.Agrees)}/{group.Count()} agree, {group.Count(r => r.ActualResult == "SKIPPED")} skipped");
}

foreach (var result in disagreements)
{
    var listed = exceptions.ContainsKey(result.Id) ? "listed exception" : "NOT LISTED";
    Console.WriteLine($"  {listed}: {result.Id}: expected {result.ExpectedResult}, got {result.ActualResult} ({result.Context})");
}

foreach (var result in skipped)
{
    Console.WriteLine($"  skipped: {result.Id}: {result.Context}");
}

// Exit 1 when a disagreement is not a listed exception, so scripts and CI can gate on the result.
return unexpected.Count == 0 ? 0 : 1;
