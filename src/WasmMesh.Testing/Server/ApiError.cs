using System.Text.Json.Nodes;

namespace WasmMesh.Testing.Server;

/// <summary>An API failure turned into a <c>Status</c> response.</summary>
internal sealed class ApiError : Exception
{
    public ApiError(int code, string reason, string message, JsonObject? details = null)
        : base(message)
    {
        Code = code;
        Reason = reason;
        Details = details;
    }

    public int Code { get; }

    public string Reason { get; }

    public JsonObject? Details { get; }

    public JsonObject ToStatus() => Status(Code, Reason, Message, Details);

    public static JsonObject Status(int code, string reason, string message, JsonObject? details = null)
    {
        var status = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = code is >= 200 and < 300 ? "Success" : "Failure",
            ["message"] = message,
            ["reason"] = reason,
            ["code"] = code,
        };
        if (details is not null)
        {
            status["details"] = details;
        }

        return status;
    }

    private static JsonObject DetailsOf(ResourceDefinition def, string? name)
    {
        var d = new JsonObject();
        if (name is not null)
        {
            d["name"] = name;
        }

        if (def.Group.Length > 0)
        {
            d["group"] = def.Group;
        }

        d["kind"] = def.Plural;
        return d;
    }

    public static ApiError NotFound(ResourceDefinition def, string name) =>
        new(404, "NotFound", $"{def.GroupResource} \"{name}\" not found", DetailsOf(def, name));

    public static ApiError NotFoundPath(string path) => new(404, "NotFound", $"the server could not find the requested resource ({path})");

    public static ApiError AlreadyExists(ResourceDefinition def, string name) =>
        new(409, "AlreadyExists", $"{def.GroupResource} \"{name}\" already exists", DetailsOf(def, name));

    public static ApiError Conflict(ResourceDefinition def, string name, string why) =>
        new(409, "Conflict", $"Operation cannot be fulfilled on {def.GroupResource} \"{name}\": {why}", DetailsOf(def, name));

    public static ApiError StaleVersion(ResourceDefinition def, string name) =>
        Conflict(def, name, "the object has been modified; please apply your changes to the latest version and try again");

    public static ApiError Invalid(ResourceDefinition def, string name, string field, string why)
    {
        var details = DetailsOf(def, name);
        details["kind"] = def.Kind;
        details["causes"] = new JsonArray(new JsonObject { ["reason"] = "FieldValueInvalid", ["message"] = $"Invalid value: {why}", ["field"] = field });
        return new ApiError(422, "Invalid", $"{def.Kind} \"{name}\" is invalid: {field}: Invalid value: {why}", details);
    }

    /// <summary>422 Invalid naming every field error, as the API server reports a schema violation.</summary>
    public static ApiError FieldsInvalid(ResourceDefinition def, string name, IReadOnlyList<FieldError> errors)
    {
        var details = DetailsOf(def, name);
        details["kind"] = def.Kind;
        var causes = new JsonArray();
        foreach (var e in errors)
        {
            causes.Add(new JsonObject { ["reason"] = e.Reason, ["message"] = e.Detail, ["field"] = e.Field });
        }

        details["causes"] = causes;
        var qualified = def.Group.Length == 0 ? def.Kind : $"{def.Kind}.{def.Group}";
        var list = errors.Count == 1 ? errors[0].ToString() : $"[{string.Join(", ", errors)}]";
        return new ApiError(422, "Invalid", $"{qualified} \"{name}\" is invalid: {list}", details);
    }

    public static ApiError BadRequest(string message) => new(400, "BadRequest", message);

    public static ApiError Gone(string message) => new(410, "Expired", message);

    public static ApiError MethodNotAllowed(string message) => new(405, "MethodNotAllowed", message);

    public static ApiError UnsupportedMediaType(string contentType) =>
        new(415, "UnsupportedMediaType", $"the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json (got {contentType})");
}
