using HocLamTheoBac.Web.Domain;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.ModelBinding.Binders;

namespace HocLamTheoBac.Web.Infrastructure;

/// <summary>
/// Binds every string of a form or a query as ASP.NET Core does, then treats text that shows nothing
/// (<see cref="BlankText"/>: zero-width spaces, a lone combining mark…) as it treats spaces: null (or "" where the
/// property keeps empty strings). So [Required] and the pages' own "required" checks give their Vietnamese message,
/// and a search box holding only such characters is an empty search. Text with a visible character is untouched.
/// </summary>
public sealed class BlankTextBinder(IModelBinder inner) : IModelBinder
{
    public async Task BindModelAsync(ModelBindingContext context)
    {
        await inner.BindModelAsync(context);
        if (context.Result.IsModelSet && context.Result.Model is string s && s.Length > 0 && BlankText.IsBlank(s))
            context.Result = ModelBindingResult.Success(context.ModelMetadata.ConvertEmptyStringToNull ? null : "");
    }
}

public sealed class BlankTextBinderProvider : IModelBinderProvider
{
    /// <summary>Strings read from the form, the query or the route; a header, a body or a service keeps its own binder.</summary>
    public IModelBinder? GetBinder(ModelBinderProviderContext context)
    {
        if (context.Metadata.ModelType != typeof(string)) return null;
        var source = context.BindingInfo.BindingSource;
        if (source is not null && source != BindingSource.Form && source != BindingSource.Query && source != BindingSource.Path && source != BindingSource.ModelBinding) return null;
        return new BlankTextBinder(new SimpleTypeModelBinder(typeof(string), context.Services.GetRequiredService<ILoggerFactory>()));
    }
}
