using MutualAuth.MessageSignatures;

namespace MutualAuth.Tests.MessageSignatures;

/// <summary>The label and tag of the mutual protocol are a wire contract between deployed clients and servers.</summary>
public sealed class MutualSignatureNamesTests
{
    [Fact]
    public void The_label_and_tag_are_stable() =>
        Assert.Equal(("sig1", "mutualauth"), (MutualSignatureNames.Label, MutualSignatureNames.Tag));
}
