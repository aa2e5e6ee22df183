using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace WasmMesh.Model;

/// <summary>Creates JSON converters for <see cref="EquatableArray{T}"/>.</summary>
/// <remarks>
/// Native AOT safe: the converter comes from the closed <see cref="EquatableArray{T}"/> type itself (through an
/// interface on its default value), never from <c>MakeGenericType</c>, so its code is compiled with the type.
/// </remarks>
public sealed class EquatableArrayJsonConverterFactory : JsonConverterFactory
{
    /// <inheritdoc />
    public override bool CanConvert(Type typeToConvert) => typeToConvert.IsGenericType && typeToConvert.GetGenericTypeDefinition() == typeof(EquatableArray<>);

    /// <inheritdoc />
    [UnconditionalSuppressMessage(
        "Trimming",
        "IL2067",
        Justification = "EquatableArray<T> is a value type whose closed form is referenced by the code that serialises it; no constructor runs.")]
    public override JsonConverter? CreateConverter(Type typeToConvert, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(typeToConvert);
        if (!CanConvert(typeToConvert))
        {
            throw new ArgumentException($"{typeToConvert} is not an EquatableArray<T>", nameof(typeToConvert));
        }

        return ((IEquatableArrayJsonConverterSource)RuntimeHelpers.GetUninitializedObject(typeToConvert)).CreateJsonConverter();
    }
}

/// <summary>Lets a closed <see cref="EquatableArray{T}"/> create its own converter without reflection.</summary>
internal interface IEquatableArrayJsonConverterSource
{
    /// <summary>Creates the converter for this closed type.</summary>
    /// <returns>An <see cref="EquatableArrayJsonConverter{T}"/>.</returns>
    JsonConverter CreateJsonConverter();
}
