using Xunit;

namespace StatefulFunctions.Generators.Tests;

/// <summary>
/// The function-type-name rule the generator and the analyzers share (src/Shared/FunctionTypeNames.cs): the
/// generator skips exactly the names the analyzers report as SFN0002.
/// </summary>
public sealed class FunctionTypeNamesTests
{
    [Theory]
    [InlineData("rides/driver", "rides", "driver")]
    [InlineData("a/b", "a", "b")]
    [InlineData("my shop/cart item", "my shop", "cart item")]
    [InlineData(" rides/driver ", " rides", "driver ")]
    public void A_name_of_two_parts_around_one_slash_is_split_as_written(string text, string @namespace, string name)
    {
        Assert.True(FunctionTypeNames.TryParse(text, out var parsedNamespace, out var parsedName));
        Assert.Equal(@namespace, parsedNamespace);
        Assert.Equal(name, parsedName);
        Assert.True(FunctionTypeNames.IsValid(text));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("/")]
    [InlineData("driver")]
    [InlineData("/driver")]
    [InlineData("rides/")]
    [InlineData(" /driver")]
    [InlineData("rides/\t")]
    [InlineData("rides/driver/extra")]
    [InlineData("rides//driver")]
    public void Any_other_name_is_rejected(string? text)
    {
        Assert.False(FunctionTypeNames.TryParse(text, out var @namespace, out var name));
        Assert.Equal(string.Empty, @namespace);
        Assert.Equal(string.Empty, name);
        Assert.False(FunctionTypeNames.IsValid(text));
    }
}
