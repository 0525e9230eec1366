"""Interfaces para o Jupyter (widgets). A lógica de negócio fica na biblioteca; aqui só a tela."""
