using System.Reflection;
using System.Reflection.Emit;
using Microsoft.AspNetCore.Hosting;
using MutualAuth.AspNetCore.Authentication;
using MutualAuth.AspNetCore.TrustMaterial;

namespace MutualAuth.AspNetCore.Tests.TrustMaterial;

/// <summary>
/// The trust-material folder is what the CLI and other hosts use without Kestrel: its types must not reference any
/// ASP.NET Core type, in their signatures (base types, interfaces, fields, properties, methods) or in their code.
/// </summary>
public sealed class TrustMaterialDependencyTests
{
    private const BindingFlags Declared = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value);

    [Fact]
    public void The_trust_material_types_reference_no_asp_net_core_type()
    {
        var types = typeof(FileTrustPolicySource).Assembly.GetTypes()
            .Where(t => t.Namespace == typeof(FileTrustPolicySource).Namespace)
            .ToList();

        Assert.Contains(typeof(BoundedFile), types);
        Assert.Contains(typeof(ReloadingFileSource<>), types);
        Assert.Contains(typeof(FileTrustPolicySource), types);
        Assert.Contains(typeof(FileServerCertificateSource), types);
        Assert.Contains(typeof(TrustMaterialException), types);
        var offending = types
            .SelectMany(t => ReferencedTypes(t).Where(IsAspNetCore).Select(r => $"{t.FullName} -> {r.FullName}"))
            .Distinct()
            .ToList();
        Assert.Empty(offending);
    }

    [Fact]
    public void The_check_finds_asp_net_core_types_where_they_are_used()
    {
        // The Kestrel hooks use Kestrel's ListenOptions in their signatures, and the handler derives from ASP.NET Core's.
        Assert.Contains(ReferencedTypes(typeof(MutualTlsListenOptionsExtensions)), IsAspNetCore);
        Assert.Contains(ReferencedTypes(typeof(MutualTlsHandler)), IsAspNetCore);
    }

    private static bool IsAspNetCore(Type type) =>
        (type.Namespace?.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal) ?? false)
        || (type.Assembly.GetName().Name?.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal) ?? false);

    /// <summary>Every type <paramref name="type"/> names: base types, interfaces, attributes, members' signatures and the members its code uses.</summary>
    private static HashSet<Type> ReferencedTypes(Type type)
    {
        var found = new HashSet<Type>();
        for (var b = type.BaseType; b is not null; b = b.BaseType)
        {
            Add(found, b);
        }

        foreach (var i in type.GetInterfaces())
        {
            Add(found, i);
        }

        foreach (var a in type.GetCustomAttributesData())
        {
            Add(found, a.AttributeType);
        }

        foreach (var f in type.GetFields(Declared))
        {
            Add(found, f.FieldType);
        }

        foreach (var p in type.GetProperties(Declared))
        {
            Add(found, p.PropertyType);
        }

        foreach (var e in type.GetEvents(Declared))
        {
            Add(found, e.EventHandlerType);
        }

        foreach (var m in type.GetMethods(Declared).Cast<MethodBase>().Concat(type.GetConstructors(Declared)))
        {
            if (m is MethodInfo method)
            {
                Add(found, method.ReturnType);
            }

            foreach (var p in m.GetParameters())
            {
                Add(found, p.ParameterType);
            }

            foreach (var local in m.GetMethodBody()?.LocalVariables ?? [])
            {
                Add(found, local.LocalType);
            }

            foreach (var member in MembersUsedBy(m))
            {
                switch (member)
                {
                    case Type t:
                        Add(found, t);
                        break;
                    case FieldInfo f:
                        Add(found, f.DeclaringType);
                        Add(found, f.FieldType);
                        break;
                    case MethodBase called:
                        Add(found, called.DeclaringType);
                        if (called is MethodInfo calledMethod)
                        {
                            Add(found, calledMethod.ReturnType);
                        }

                        foreach (var p in called.GetParameters())
                        {
                            Add(found, p.ParameterType);
                        }

                        break;
                }
            }
        }

        return found;
    }

    private static void Add(HashSet<Type> found, Type? type)
    {
        if (type is null || !found.Add(type))
        {
            return;
        }

        if (type.HasElementType)
        {
            Add(found, type.GetElementType());
        }

        if (type.IsGenericType && !type.IsGenericTypeDefinition)
        {
            foreach (var argument in type.GetGenericArguments())
            {
                Add(found, argument);
            }
        }
    }

    /// <summary>The fields, methods and types the IL of <paramref name="method"/> refers to by token.</summary>
    private static IEnumerable<MemberInfo> MembersUsedBy(MethodBase method)
    {
        var il = method.GetMethodBody()?.GetILAsByteArray();
        if (il is null)
        {
            yield break;
        }

        var typeArguments = method.DeclaringType is { IsGenericType: true } declaring ? declaring.GetGenericArguments() : null;
        var methodArguments = method is MethodInfo { IsGenericMethod: true } ? method.GetGenericArguments() : null;
        var position = 0;
        while (position < il.Length)
        {
            short value = il[position++];
            if (value == 0xFE)
            {
                value = (short)(0xFE00 | il[position++]);
            }

            var opCode = OpCodesByValue[value];
            switch (opCode.OperandType)
            {
                case OperandType.InlineField or OperandType.InlineMethod or OperandType.InlineType or OperandType.InlineTok:
                    yield return method.Module.ResolveMember(BitConverter.ToInt32(il, position), typeArguments, methodArguments)!;
                    position += 4;
                    break;
                case OperandType.InlineNone:
                    break;
                case OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar:
                    position += 1;
                    break;
                case OperandType.InlineVar:
                    position += 2;
                    break;
                case OperandType.InlineI8 or OperandType.InlineR:
                    position += 8;
                    break;
                case OperandType.InlineSwitch:
                    position += 4 + (4 * BitConverter.ToInt32(il, position));
                    break;
                default: // InlineBrTarget, InlineI, InlineSig, InlineString, ShortInlineR
                    position += 4;
                    break;
            }
        }
    }
}
