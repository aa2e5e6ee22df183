using WasmMesh.Kubernetes;
using Xunit;

namespace WasmMesh.Operator.Tests.Faults;

public sealed class RelevantChangeTests
{
    private static readonly RelevantMetadata Base = new("uid-1", 3, false, new Dictionary<string, string> { ["app"] = "a" }, new Dictionary<string, string> { ["note"] = "x" }, ["f"]);

    [Fact]
    public void Requeues_StatusOnlyUpdate_IsFalse()
    {
        var sameButNewDictionaries = Base with
        {
            Labels = new Dictionary<string, string> { ["app"] = "a" },
            Annotations = new Dictionary<string, string> { ["note"] = "x" },
            Finalizers = ["f"],
        };

        Assert.False(RelevantChange.Requeues(InformerEventType.Updated, Base, sameButNewDictionaries));
    }

    [Fact]
    public void Requeues_MissingAndEmptyCollections_AreTheSame()
    {
        var a = new RelevantMetadata("u", 1, false, null, null, null);
        var b = new RelevantMetadata("u", 1, false, new Dictionary<string, string>(), new Dictionary<string, string>(), []);

        Assert.False(RelevantChange.Requeues(InformerEventType.Updated, a, b));
    }

    [Theory]
    [InlineData("generation")]
    [InlineData("uid")]
    [InlineData("deleting")]
    [InlineData("label")]
    [InlineData("annotation")]
    [InlineData("finalizer")]
    public void Requeues_RelevantUpdate_IsTrue(string change)
    {
        var changed = change switch
        {
            "generation" => Base with { Generation = 4 },
            "uid" => Base with { Uid = "uid-2" },
            "deleting" => Base with { Deleting = true },
            "label" => Base with { Labels = new Dictionary<string, string> { ["app"] = "b" } },
            "annotation" => Base with { Annotations = new Dictionary<string, string> { ["note"] = "x", ["wasm.tcm.io/resolve-at"] = "now" } },
            _ => Base with { Finalizers = [] },
        };

        Assert.True(RelevantChange.Requeues(InformerEventType.Updated, Base, changed), change);
    }

    [Theory]
    [InlineData(InformerEventType.Added)]
    [InlineData(InformerEventType.Deleted)]
    [InlineData(InformerEventType.Resync)]
    public void Requeues_OtherEvents_AlwaysTrue(InformerEventType type)
    {
        Assert.True(RelevantChange.Requeues(type, null, Base));
    }
}
