"""The plan's attribute form: built from the standard and the rules (builder.py), with its help
tooltips (help.py). It sits below layers/, which applies it to a layer; the dialogs' Qt Designer files
live with their code in gui/."""
