using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using NSubstitute;
using Xunit;

namespace WasmMesh.Kubernetes.Tests;

/// <summary>
/// Lists and watches through an <see cref="IKubernetes"/> that is not a <see cref="k8s.Kubernetes"/> (a thin wrapper that hands
/// out the operations of a real client, as decorators and host containers do): the watch goes through the generated
/// <c>watch=true</c> operations.
/// </summary>
public sealed class WrappedClientTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    private IKubernetes Wrapped()
    {
        var wrapper = Substitute.For<IKubernetes>();
        wrapper.CustomObjects.Returns(fixture.Client.CustomObjects);
        wrapper.CoreV1.Returns(fixture.Client.CoreV1);
        return wrapper;
    }

    [Fact]
    public async Task WatchAsync_ThroughAWrapper_DeliversAddedModifiedDeletedInOrder()
    {
        var ns = await fixture.NewNamespaceAsync();
        var widgets = Widgets.Client(Wrapped());
        Assert.IsNotType<k8s.Kubernetes>(Wrapped());
        await widgets.CreateAsync(Widgets.New(ns, "before"), cancellationToken: _ct);
        var list = await widgets.ListAsync(ns, cancellationToken: _ct);

        using var cts = CancellationTokenSource.CreateLinkedTokenSource(_ct);
        cts.CancelAfter(TimeSpan.FromSeconds(30));
        var events = new List<(WatchEventType, string, int?)>();
        var watch = Task.Run(async () =>
        {
            await foreach (var e in widgets.WatchAsync(ns, new WatchOptions { ResourceVersion = list.Metadata.ResourceVersion, AllowWatchBookmarks = true }, cts.Token))
            {
                if (e.Type == WatchEventType.Bookmark)
                {
                    continue;
                }

                events.Add((e.Type, e.Metadata.Name!, e.Object!.Spec?.Size));
                if (e.Type == WatchEventType.Deleted)
                {
                    return;
                }
            }
        }, _ct);

        await widgets.CreateAsync(Widgets.New(ns, "w", size: 1), cancellationToken: _ct);
        await widgets.PatchAsync(ns, "w", KubernetesPatch.Merge(new JsonObject { ["spec"] = new JsonObject { ["size"] = 2 } }), cancellationToken: _ct);
        await widgets.DeleteAsync(ns, "w", cancellationToken: _ct);
        await watch;

        Assert.Equal("before", Assert.Single(list.Items).Metadata.Name);
        Assert.Equal([(WatchEventType.Added, "w", 1), (WatchEventType.Modified, "w", 2), (WatchEventType.Deleted, "w", 2)], events);
    }

    [Fact]
    public async Task WatchAsync_ThroughAWrapper_ManyEventsInOneReadAllArriveDecoded()
    {
        var ns = await fixture.NewNamespaceAsync();
        var widgets = Widgets.Client(Wrapped());
        for (var i = 0; i < 50; i++)
        {
            await widgets.CreateAsync(Widgets.New(ns, $"w{i:D2}", size: i), cancellationToken: _ct);
        }

        using var cts = CancellationTokenSource.CreateLinkedTokenSource(_ct);
        cts.CancelAfter(TimeSpan.FromSeconds(30));
        var sizes = new List<int>();
        await foreach (var e in widgets.WatchAsync(ns, new WatchOptions(), cts.Token))
        {
            sizes.Add(e.Object!.Spec!.Size!.Value);
            if (sizes.Count == 50)
            {
                break;
            }
        }

        Assert.Equal(Enumerable.Range(0, 50), sizes);
    }

    [Fact]
    public async Task WatchAsync_ThroughAWrapper_ServerTimeoutWithoutEvents_EndsTheSequence()
    {
        var ns = await fixture.NewNamespaceAsync();
        var widgets = Widgets.Client(Wrapped());
        var list = await widgets.ListAsync(ns, cancellationToken: _ct);
        var count = 0;
        await foreach (var e in widgets.WatchAsync(ns, new WatchOptions { ResourceVersion = list.Metadata.ResourceVersion, AllowWatchBookmarks = false, TimeoutSeconds = 1 }, _ct))
        {
            count++;
        }

        Assert.Equal(0, count);
    }

    [Fact]
    public async Task WatchAsync_ThroughAWrapper_CompactedVersion_ThrowsGone()
    {
        var ns = await fixture.NewNamespaceAsync();
        var widgets = Widgets.Client(Wrapped());
        var list = await widgets.ListAsync(ns, cancellationToken: _ct);
        await widgets.CreateAsync(Widgets.New(ns, "w"), cancellationToken: _ct);
        fixture.Server.CompactHistory();

        var ex = await Assert.ThrowsAsync<KubernetesApiException>(async () =>
        {
            await foreach (var unused in widgets.WatchAsync(ns, new WatchOptions { ResourceVersion = list.Metadata.ResourceVersion, AllowWatchBookmarks = false }, _ct))
            {
            }
        });

        Assert.True(ex.IsGone);
    }

    [Fact]
    public async Task WatchAsync_ThroughAWrapper_CoreSecrets_GoThroughCoreV1()
    {
        var ns = await fixture.NewNamespaceAsync();
        var secrets = Wrapped().Resource(KubernetesResourceType.Secrets, WidgetJsonContext.Default.Widget);
        await fixture.Client.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new V1ObjectMeta { Name = "s" }, StringData = new Dictionary<string, string> { ["k"] = "v" } }, ns, cancellationToken: _ct);

        using var cts = CancellationTokenSource.CreateLinkedTokenSource(_ct);
        cts.CancelAfter(TimeSpan.FromSeconds(30));
        WatchEvent<Widget>? first = null;
        await foreach (var e in secrets.WatchAsync(ns, new WatchOptions(), cts.Token))
        {
            first = e;
            break;
        }

        Assert.NotNull(first);
        Assert.Equal(WatchEventType.Added, first.Type);
        Assert.Equal("s", first.Metadata.Name);
    }
}
