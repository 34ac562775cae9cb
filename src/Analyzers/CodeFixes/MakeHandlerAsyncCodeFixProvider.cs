using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Simplification;

namespace StatefulFunctions.Analyzers;

/// <summary>
/// Fixes SFN0005 by awaiting instead of blocking. In an <c>async</c> handler only the reported call is rewritten;
/// in a synchronous <c>public void Handle</c> that implicitly implements <c>IHandle&lt;T&gt;</c> the method becomes
/// <c>public async ValueTask HandleAsync</c>, <c>IHandle&lt;T&gt;</c> becomes <c>IHandleAsync&lt;T&gt;</c> and every
/// blocking call in the method is rewritten. Not offered elsewhere (a non-async <c>HandleAsync</c>, an explicit
/// interface implementation, a class that also implements <c>IHandleAsync&lt;T&gt;</c> for the same message).
/// A <c>Thread.Sleep</c> is never rewritten (and gets no fix): <c>await Task.Delay</c> would hold the shard just the
/// same, and what replaces a wait, a delayed message sent with <c>context.SendAfter</c> to a handler of the rest of
/// the work, needs a message type only the user can write; the diagnostic's message says so.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MakeHandlerAsyncCodeFixProvider))]
[Shared]
public sealed class MakeHandlerAsyncCodeFixProvider : CodeFixProvider
{
    private const string Title = "Make the handler async";

    private enum BlockingKind
    {
        None,
        Result,
        Wait,
        WaitAll,
        GetResult,
    }

    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(DiagnosticDescriptors.BlockingCallInHandler.Id);

    /// <inheritdoc />
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc />
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || model is null)
        {
            return;
        }

        var symbols = WellKnownSymbols.Create(model.Compilation);
        if (symbols?.Handle is null || symbols.HandleAsync is null)
        {
            return;
        }

        foreach (var diagnostic in context.Diagnostics)
        {
            var span = diagnostic.Location.SourceSpan;
            var node = root.FindNode(span, getInnermostNodeForTie: true)
                .AncestorsAndSelf()
                .OfType<ExpressionSyntax>()
                .FirstOrDefault(e => e.Span == span);
            var method = node?.FirstAncestorOrSelf<MethodDeclarationSyntax>();
            if (node is null || method is null || !CanAwait(node, method) || Classify(node, model, context.CancellationToken) == BlockingKind.None)
            {
                continue;
            }

            if (method.Modifiers.Any(SyntaxKind.AsyncKeyword))
            {
                var document = context.Document;
                context.RegisterCodeFix(
                    CodeAction.Create(Title, ct => AwaitOneAsync(document, node, ct), equivalenceKey: Title),
                    diagnostic);
                continue;
            }

            var baseType = FindHandleBaseType(method, model, symbols, context.CancellationToken);
            if (baseType is not null)
            {
                var document = context.Document;
                context.RegisterCodeFix(
                    CodeAction.Create(Title, ct => MakeAsyncAsync(document, method, baseType, ct), equivalenceKey: Title),
                    diagnostic);
            }
        }
    }

    /// <summary>
    /// The <c>IHandle&lt;T&gt;</c> entry of the containing declaration's base list when <paramref name="method"/> is a
    /// synchronous <c>public void Handle(IContext, T)</c> that implicitly implements it (and the class does not also
    /// implement <c>IHandleAsync&lt;T&gt;</c>); otherwise null.
    /// </summary>
    private static SimpleBaseTypeSyntax? FindHandleBaseType(
        MethodDeclarationSyntax method, SemanticModel model, WellKnownSymbols symbols, CancellationToken cancellationToken)
    {
        if (method.Identifier.ValueText != "Handle"
            || method.ExplicitInterfaceSpecifier is not null
            || method.ParameterList.Parameters.Count != 2
            || method.ReturnType is not PredefinedTypeSyntax { Keyword.RawKind: (int)SyntaxKind.VoidKeyword }
            || !method.Modifiers.Any(SyntaxKind.PublicKeyword)
            || method.Modifiers.Any(m => m.IsKind(SyntaxKind.StaticKeyword) || m.IsKind(SyntaxKind.AbstractKeyword)
                || m.IsKind(SyntaxKind.OverrideKeyword) || m.IsKind(SyntaxKind.VirtualKeyword) || m.IsKind(SyntaxKind.ExternKeyword)
                || m.IsKind(SyntaxKind.UnsafeKeyword))
            || (method.Body is null && method.ExpressionBody is null)
            || method.Parent is not TypeDeclarationSyntax declaration
            || declaration.BaseList is null
            || model.GetDeclaredSymbol(method, cancellationToken) is not { } symbol
            || symbol.ContainingType is not { } type)
        {
            return null;
        }

        var handle = type.AllInterfaces.FirstOrDefault(i =>
            SymbolEqualityComparer.Default.Equals(i.OriginalDefinition, symbols.Handle)
            && i.GetMembers("Handle").OfType<IMethodSymbol>().Any(m =>
                SymbolEqualityComparer.Default.Equals(type.FindImplementationForInterfaceMember(m), symbol)));
        if (handle is null)
        {
            return null;
        }

        var message = handle.TypeArguments[0];
        if (type.AllInterfaces.Any(i =>
            SymbolEqualityComparer.Default.Equals(i.OriginalDefinition, symbols.HandleAsync)
            && SymbolEqualityComparer.Default.Equals(i.TypeArguments[0], message)))
        {
            return null;
        }

        return declaration.BaseList.Types.OfType<SimpleBaseTypeSyntax>().FirstOrDefault(t =>
            GenericNameOf(t.Type) is not null
            && SymbolEqualityComparer.Default.Equals(model.GetTypeInfo(t.Type, cancellationToken).Type, handle));
    }

    private static GenericNameSyntax? GenericNameOf(TypeSyntax type) => type switch
    {
        GenericNameSyntax generic => generic,
        QualifiedNameSyntax { Right: GenericNameSyntax generic } => generic,
        AliasQualifiedNameSyntax { Name: GenericNameSyntax generic } => generic,
        _ => null,
    };

    /// <summary>True when an <c>await</c> may replace <paramref name="node"/> once <paramref name="method"/> is async.</summary>
    private static bool CanAwait(SyntaxNode node, MethodDeclarationSyntax method) =>
        !node.Ancestors().TakeWhile(a => a != method).Any(a =>
            a is AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax or LockStatementSyntax
                or CatchFilterClauseSyntax or QueryExpressionSyntax or UnsafeStatementSyntax);

    /// <summary>Which rewritable blocking call <paramref name="node"/> is (mirrors the analyzer's rules).</summary>
    private static BlockingKind Classify(SyntaxNode node, SemanticModel model, CancellationToken cancellationToken)
    {
        switch (node)
        {
            case MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Result" } access
                when model.GetSymbolInfo(access, cancellationToken).Symbol is IPropertySymbol property
                     && IsType(property.ContainingType, "System.Threading.Tasks.Task`1", "System.Threading.Tasks.ValueTask`1"):
                return BlockingKind.Result;

            // task.GetAwaiter().GetResult(), also through ConfigureAwait: whatever has a GetAwaiter() can be awaited.
            case InvocationExpressionSyntax
                {
                    ArgumentList.Arguments.Count: 0,
                    Expression: MemberAccessExpressionSyntax
                    {
                        Name.Identifier.ValueText: "GetResult",
                        Expression: InvocationExpressionSyntax
                        {
                            ArgumentList.Arguments.Count: 0,
                            Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "GetAwaiter" },
                        },
                    },
                } invocation
                when model.GetSymbolInfo(invocation, cancellationToken).Symbol is IMethodSymbol { IsStatic: false } getResult
                     && getResult.ContainingType?.ContainingNamespace?.ToDisplayString() == "System.Runtime.CompilerServices":
                return BlockingKind.GetResult;

            case InvocationExpressionSyntax invocation
                when model.GetSymbolInfo(invocation, cancellationToken).Symbol is IMethodSymbol { ReturnsVoid: true } method:
                if (method.Name == "Wait" && !method.IsStatic && invocation.ArgumentList.Arguments.Count == 0
                    && invocation.Expression is MemberAccessExpressionSyntax
                    && IsType(method.ContainingType, "System.Threading.Tasks.Task", "System.Threading.Tasks.Task`1"))
                {
                    return BlockingKind.Wait;
                }

                if (method.Name == "WaitAll" && method.IsStatic && IsType(method.ContainingType, "System.Threading.Tasks.Task")
                    && !method.Parameters.Any(p => p.Type.Name == "CancellationToken"))
                {
                    return BlockingKind.WaitAll;
                }

                return BlockingKind.None;

            default:
                return BlockingKind.None;
        }
    }

    private static bool IsType(INamedTypeSymbol? type, params string[] metadataNames)
    {
        if (type is null)
        {
            return false;
        }

        var definition = type.OriginalDefinition;
        var name = definition.MetadataName;
        var ns = definition.ContainingNamespace?.ToDisplayString();
        return metadataNames.Any(n => n == ns + "." + name);
    }

    /// <summary>The awaiting equivalent of a blocking call (built from the possibly already rewritten node).</summary>
    private static ExpressionSyntax Rewrite(SyntaxNode node, BlockingKind kind)
    {
        ExpressionSyntax awaited = kind switch
        {
            BlockingKind.Result => ((MemberAccessExpressionSyntax)node).Expression,
            BlockingKind.Wait => ((MemberAccessExpressionSyntax)((InvocationExpressionSyntax)node).Expression).Expression,
            BlockingKind.WaitAll => TaskMethod("WhenAll", ((InvocationExpressionSyntax)node).ArgumentList),
            BlockingKind.GetResult => AwaiterSource((InvocationExpressionSyntax)node),
            _ => throw new System.ArgumentOutOfRangeException(nameof(kind)),
        };

        var awaiting = SyntaxFactory.AwaitExpression(awaited.WithoutTrivia());
        return SyntaxFactory.ParenthesizedExpression(awaiting)
            .WithTriviaFrom(node)
            .WithAdditionalAnnotations(Simplifier.Annotation);
    }

    /// <summary>The <c>task</c> of <c>task.GetAwaiter().GetResult()</c> (the shape <see cref="Classify"/> checked).</summary>
    private static ExpressionSyntax AwaiterSource(InvocationExpressionSyntax getResult)
    {
        var getAwaiter = (InvocationExpressionSyntax)((MemberAccessExpressionSyntax)getResult.Expression).Expression;
        return ((MemberAccessExpressionSyntax)getAwaiter.Expression).Expression;
    }

    private static InvocationExpressionSyntax TaskMethod(string name, ArgumentListSyntax arguments) =>
        SyntaxFactory.InvocationExpression(
            SyntaxFactory.ParseExpression("System.Threading.Tasks.Task." + name).WithAdditionalAnnotations(Simplifier.Annotation),
            arguments.WithoutTrivia());

    private static async Task<Document> AwaitOneAsync(Document document, ExpressionSyntax node, CancellationToken cancellationToken)
    {
        var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        var kind = Classify(node, editor.SemanticModel, cancellationToken);
        editor.ReplaceNode(node, Rewrite(node, kind));
        return editor.GetChangedDocument();
    }

    private static async Task<Document> MakeAsyncAsync(
        Document document, MethodDeclarationSyntax method, SimpleBaseTypeSyntax baseType, CancellationToken cancellationToken)
    {
        var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        var model = editor.SemanticModel;

        var blocking = new Dictionary<SyntaxNode, BlockingKind>();
        foreach (var candidate in method.DescendantNodes().Where(n => n is MemberAccessExpressionSyntax or InvocationExpressionSyntax))
        {
            var kind = Classify(candidate, model, cancellationToken);
            if (kind != BlockingKind.None && CanAwait(candidate, method))
            {
                blocking.Add(candidate, kind);
            }
        }

        var rewritten = method.ReplaceNodes(blocking.Keys, (original, current) => Rewrite(current, blocking[original]));
        var asyncKeyword = SyntaxFactory.Token(SyntaxKind.AsyncKeyword).WithTrailingTrivia(SyntaxFactory.Space);
        rewritten = rewritten
            .WithModifiers(rewritten.Modifiers.Add(asyncKeyword))
            .WithReturnType(SyntaxFactory.ParseTypeName("System.Threading.Tasks.ValueTask")
                .WithTriviaFrom(rewritten.ReturnType)
                .WithAdditionalAnnotations(Simplifier.Annotation))
            .WithIdentifier(SyntaxFactory.Identifier("HandleAsync").WithTriviaFrom(rewritten.Identifier));
        editor.ReplaceNode(method, rewritten);

        var generic = GenericNameOf(baseType.Type)!;
        var renamed = generic.WithIdentifier(SyntaxFactory.Identifier("IHandleAsync").WithTriviaFrom(generic.Identifier));
        var type = baseType.Type == generic ? renamed : baseType.Type.ReplaceNode(generic, renamed);
        editor.ReplaceNode(baseType, baseType.WithType(type));
        return editor.GetChangedDocument();
    }
}
