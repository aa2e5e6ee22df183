using Xunit;

namespace WasmMesh.Operator.Tests.Faults;

public sealed class EventNameGeneratorTests
{
    [Fact]
    public void Next_ManyCallsInTheSameTick_NeverRepeatsAName()
    {
        var names = new EventNameGenerator(new ManualClock(DateTimeOffset.UnixEpoch.AddDays(20000)));

        var generated = Enumerable.Range(0, 1000).Select(_ => names.Next("my-filter")).ToList();

        Assert.Equal(generated.Count, generated.Distinct(StringComparer.Ordinal).Count());
        Assert.All(generated, n => Assert.StartsWith("my-filter.", n, StringComparison.Ordinal));
    }

    [Fact]
    public void Next_ClockSteppedBack_StillIncreases()
    {
        var clock = new ManualClock(DateTimeOffset.UnixEpoch.AddDays(20000));
        var names = new EventNameGenerator(clock);
        var first = names.Next("a");
        clock.Advance(TimeSpan.FromSeconds(-5));

        var second = names.Next("a");

        Assert.NotEqual(first, second);
        Assert.True(Convert.ToInt64(second[2..], 16) > Convert.ToInt64(first[2..], 16));
    }

    [Fact]
    public async Task Next_ConcurrentCallers_NeverRepeatAName()
    {
        var names = new EventNameGenerator(new ManualClock(DateTimeOffset.UnixEpoch.AddDays(20000)));

        var batches = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => Enumerable.Range(0, 500).Select(_ => names.Next("x")).ToList())));

        var all = batches.SelectMany(b => b).ToList();
        Assert.Equal(4000, all.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void Next_LongestObjectName_StaysWithinTheNameLimit()
    {
        var name = new EventNameGenerator(TimeProvider.System).Next(new string('a', 253));

        Assert.True(name.Length <= 253, $"{name.Length} characters");
    }
}
