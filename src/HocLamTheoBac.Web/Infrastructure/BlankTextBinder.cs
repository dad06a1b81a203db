using HocLamTheoBac.Web.Domain;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.ModelBinding.Binders;

namespace HocLamTheoBac.Web.Infrastructure;

/// <summary>
/// Binds every string of a form or a query as ASP.NET Core does, then treats text that shows nothing
/// (<see cref="BlankText"/>: zero-width spaces, a lone combining mark…) as it treats spaces: null (or "" where the
/// property keeps empty strings). So [Required] and the pages' own "required" checks give their Vietnamese message,
/// and a search box holding only such characters is an empty search. Text with a visible character is kept as typed,
/// only composed (Unicode NFC): a Vietnamese keyboard that sends "ệ" as "e" + two combining marks stores the same text as
/// one that sends "ệ", so names sort and search alike and a pledge typed either way is the same text to the hints
/// (found by the attack walk of session 10). Passwords are never changed: their hash was made from the bytes typed.
/// </summary>
public sealed class BlankTextBinder(IModelBinder inner) : IModelBinder
{
    public async Task BindModelAsync(ModelBindingContext context)
    {
        await inner.BindModelAsync(context);
        if (!context.Result.IsModelSet || context.Result.Model is not string s || s.Length == 0) return;
        if (BlankText.IsBlank(s))
            context.Result = ModelBindingResult.Success(context.ModelMetadata.ConvertEmptyStringToNull ? null : "");
        else if (!IsPassword(context.ModelMetadata) && !s.IsNormalized(System.Text.NormalizationForm.FormC))
            context.Result = ModelBindingResult.Success(s.Normalize(System.Text.NormalizationForm.FormC));
    }

    private static bool IsPassword(ModelMetadata m) =>
        m.DataTypeName == nameof(System.ComponentModel.DataAnnotations.DataType.Password)
        || (m.Name ?? "").Contains("password", StringComparison.OrdinalIgnoreCase);
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
