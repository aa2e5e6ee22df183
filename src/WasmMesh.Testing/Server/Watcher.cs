using System.Threading.Channels;

namespace WasmMesh.Testing.Server;

/// <summary>One open watch: its filters and the channel the store writes matching events to.</summary>
internal sealed class Watcher
{
    public Watcher(ResourceDefinition definition, string? ns, LabelSelector? labels, FieldSelector? fields)
    {
        Definition = definition;
        Namespace = ns;
        Labels = labels;
        Fields = fields;
    }

    public ResourceDefinition Definition { get; }

    public string? Namespace { get; }

    public LabelSelector? Labels { get; }

    public FieldSelector? Fields { get; }

    private long _pending;

    public Channel<(string Type, StoredObject Object)> Events { get; } = Channel.CreateUnbounded<(string, StoredObject)>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>
    /// Events written but not yet taken with <see cref="TryTake"/>; kept here because a single-reader channel
    /// cannot count its items.
    /// </summary>
    public long Pending => Interlocked.Read(ref _pending);

    /// <summary>Queues an event for the stream.</summary>
    public void Enqueue(string type, StoredObject o)
    {
        Interlocked.Increment(ref _pending);
        if (!Events.Writer.TryWrite((type, o)))
        {
            Interlocked.Decrement(ref _pending);
        }
    }

    /// <summary>Takes the next queued event, if any.</summary>
    public bool TryTake(out (string Type, StoredObject Object) item)
    {
        if (Events.Reader.TryRead(out item))
        {
            Interlocked.Decrement(ref _pending);
            return true;
        }

        return false;
    }

    public bool Matches(StoredObject o) =>
        (Namespace is null || o.Namespace == Namespace)
        && (Labels is null || Labels.Matches(o.Labels))
        && (Fields is null || Fields.Matches(o.Namespace, o.Name, o.Parse));

    /// <summary>Translates a change into what this watcher sees (objects moving in or out of the selection become ADDED/DELETED).</summary>
    public void Offer(ChangeRecord change)
    {
        if (change.Key != Definition.Key)
        {
            return;
        }

        var now = Matches(change.Object);
        var before = change.Old is not null && Matches(change.Old);
        string? type = change.Type switch
        {
            "ADDED" => now ? "ADDED" : null,
            "DELETED" => now ? "DELETED" : null,
            _ when now && before => "MODIFIED",
            _ when now => "ADDED",
            _ when before => "DELETED",
            _ => null,
        };
        if (type is not null)
        {
            Enqueue(type, change.Object);
        }
    }
}
