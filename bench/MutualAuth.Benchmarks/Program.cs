using BenchmarkDotNet.Running;
using MutualAuth.Benchmarks;

if (args.FirstOrDefault() == ScramLoginLoad.Command)
{
    return await ScramLoginLoad.Run(args[1..]);
}

if (args.FirstOrDefault() == SignedRequestLoad.Command)
{
    return await SignedRequestLoad.Run(args[1..]);
}

if (args.FirstOrDefault() == ClusterLoad.Command)
{
    return await ClusterLoad.Run(args[1..]);
}

if (args.FirstOrDefault() == ReplayCacheLoad.Command)
{
    return await ReplayCacheLoad.Run(args[1..]);
}

if (args.FirstOrDefault() == TokenLoad.Command)
{
    return await TokenLoad.Run(args[1..]);
}

if (args.FirstOrDefault() == HandshakeLoad.Command)
{
    return await HandshakeLoad.Run(args[1..]);
}

if (args.FirstOrDefault() == BareTlsServer.Command)
{
    return await BareTlsServer.Run(args[1..]);
}

if (args.FirstOrDefault() == ChainValidationRatio.Command)
{
    return ChainValidationRatio.Run(args[1..]);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
