from django import forms


class TokenForm(forms.Form):
    name = forms.CharField(label="令牌名称", max_length=80)
