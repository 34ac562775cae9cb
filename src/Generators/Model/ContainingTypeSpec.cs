namespace StatefulFunctions.Generators.Model;

/// <summary>A type a function class is nested in, re-declared as <c>partial {Keyword} {Name}</c>.</summary>
/// <param name="Keyword"><c>class</c>, <c>struct</c>, <c>record</c>, <c>record struct</c> or <c>interface</c>.</param>
/// <param name="Name">The type's identifier, escaped when it is a keyword.</param>
internal sealed record ContainingTypeSpec(string Keyword, string Name);
